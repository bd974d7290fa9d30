"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { AppError } from "@/lib/errors";
import { applyRetention } from "@/lib/services/privacy/data-retention";
import { setNumberPrefix } from "@/lib/services/settings/number-series";
import { setSetting, settingDefinitions, type SettingKey, type SettingValue } from "@/lib/services/settings/settings";

const text = z.string().default("");

function done(message: string) {
  revalidatePath("/admin/settings");
  return { ok: true, message };
}

/** "1, 3, 7" → [1, 3, 7]; anything else is a message next to the field. */
function dayList(value: string, param: string): number[] {
  const trimmed = value.trim();
  if (!trimmed) return [];
  const parts = trimmed.split(/[\s,]+/).filter(Boolean);
  if (!parts.every((p) => /^\d+$/.test(p))) throw new AppError("validation_failed", { param, userMessage: "Enter whole days separated by commas, e.g. 1, 3, 7, 14." });
  return parts.map(Number);
}

function wholeDays(value: string, param: string): number {
  if (!/^\d+$/.test(value.trim())) throw new AppError("validation_failed", { param, userMessage: "Enter a whole number of days." });
  return Number(value.trim());
}

/** Validates a value against its setting's schema first, so a form saves all of its settings or none. */
function check<K extends SettingKey>(key: K, value: unknown, param: string): SettingValue<K> {
  const parsed = settingDefinitions[key].schema.safeParse(value);
  if (parsed.success) return parsed.data as SettingValue<K>;
  const issue = parsed.error.issues[0];
  const field = typeof issue?.path[0] === "string" ? issue.path[0] : param;
  throw new AppError("validation_failed", { param: field, userMessage: issue?.message ?? "Check this value." });
}

export const saveBusinessProfileAction = validatedAction(
  "settings.manage",
  z.object({ name: text, taxNumber: text, supportEmail: text, address: text, invoiceFooter: text, logoUrl: text, brandColor: text, missingTaxNumber: z.string().optional() }),
  async (input, _user, ctx) => {
    const { logoUrl, brandColor, missingTaxNumber, ...profile } = input;
    const checkedProfile = check("business.profile", profile, "name");
    const checkedBranding = check("business.branding", { logoUrl, brandColor }, "brandColor");
    await setSetting(ctx, "business.profile", checkedProfile);
    await setSetting(ctx, "business.branding", checkedBranding);
    if (missingTaxNumber !== undefined) await setSetting(ctx, "documents.missing_tax_number", check("documents.missing_tax_number", missingTaxNumber, "missingTaxNumber"));
    return done("Business profile saved. New invoices, emails and the portal use it from now on.");
  },
);

export const saveLocaleAction = validatedAction("settings.manage", z.object({ locale: text }), async (input, _user, ctx) => {
  await setSetting(ctx, "business.locale", check("business.locale", input.locale, "locale"));
  return done("Locale saved. Customers and staff without a locale of their own read amounts and dates in it from now on.");
});

export const saveNumberingAction = validatedAction("settings.manage", z.object({ prefix_default: text, prefix_credit_note: text }), async (input, _user, ctx) => {
  await setNumberPrefix(ctx, { series: "default", prefix: input.prefix_default });
  await setNumberPrefix(ctx, { series: "credit_note", prefix: input.prefix_credit_note });
  return done("Numbering saved. Documents already issued keep their numbers.");
});

export const saveCollectionAction = validatedAction(
  "settings.manage",
  z.object({ retryDays: text, reminder: text, warning: text, blocked: text, finalAction: text, finalInvoiceState: text }),
  async (input, _user, ctx) => {
    const retry = check("payments.retry_schedule_days", dayList(input.retryDays, "retryDays"), "retryDays");
    const schedule = check("dunning.schedule_days", { reminder: wholeDays(input.reminder, "reminder"), warning: wholeDays(input.warning, "warning"), blocked: wholeDays(input.blocked, "blocked") }, "blocked");
    const finalAction = check("dunning.final_action", input.finalAction, "finalAction");
    const finalInvoiceState = check("dunning.final_invoice_state", input.finalInvoiceState, "finalInvoiceState");
    await setSetting(ctx, "payments.retry_schedule_days", retry);
    await setSetting(ctx, "dunning.schedule_days", schedule);
    await setSetting(ctx, "dunning.final_action", finalAction);
    await setSetting(ctx, "dunning.final_invoice_state", finalInvoiceState);
    return done("Retry and dunning schedules saved. They apply to failed payments from now on.");
  },
);

function wholeYears(value: string, param: string): number {
  if (!/^\d+$/.test(value.trim())) throw new AppError("validation_failed", { param, userMessage: "Enter a whole number of years." });
  return Number(value.trim());
}

export const saveRetentionAction = validatedAction(
  "settings.manage",
  z.object({ financialYears: text, auditYears: text, eventsYears: text, automatic: text }),
  async (input, _user, ctx) => {
    const financial = check("retention.financial_records_years", wholeYears(input.financialYears, "financialYears"), "financialYears");
    const audit = check("retention.audit_years", wholeYears(input.auditYears, "auditYears"), "auditYears");
    const events = check("retention.events_years", wholeYears(input.eventsYears, "eventsYears"), "eventsYears");
    const automatic = check("retention.automatic", input.automatic === "on", "automatic");
    await setSetting(ctx, "retention.financial_records_years", financial);
    await setSetting(ctx, "retention.audit_years", audit);
    await setSetting(ctx, "retention.events_years", events);
    await setSetting(ctx, "retention.automatic", automatic);
    return done("Retention settings saved.");
  },
);

/** Apply data retention now (the same run as the daily job's), audited as `data_retention.applied` with the counts. */
export const applyRetentionAction = validatedAction("settings.manage", z.object({}), async (_input, _user, ctx) => {
  const { counts } = await applyRetention(ctx);
  return done(
    `Retention applied: ${counts.auditEntries} audit entries archived, ${counts.outboxEvents + counts.stripeEvents + counts.emails} events and emails deleted, ${counts.billToBlocks} bill-to blocks pseudonymized.`,
  );
});
