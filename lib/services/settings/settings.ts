import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { settings } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { nudgeSoon } from "@/lib/jobs/enqueue";
import { sandboxIsGateway } from "@/lib/payments/mode";
import { DEFAULT_KPI_TARGETS, kpiTargetsSchema, type KpiTarget } from "@/lib/analytics/kpi-targets";
import { DEFAULT_DUNNING_SCHEDULE, type DunningFinalAction, type DunningFinalInvoiceState } from "@/lib/billing/dunning/policy";
import { DEFAULT_RETRY_DAYS } from "@/lib/billing/retries/policy";
import { DEFAULT_LATE_WINDOW_DAYS } from "@/lib/usage/event-rules";
import { defaultBusinessLocale, SUPPORTED_LOCALES, type SupportedLocale } from "@/lib/format";
import type { ServiceContext } from "../context";

/**
 * Every setting with its schema and default: reading a missing key gives the default, writing
 * validates, and each change is audited. The admin console edits these; the CLI can too. A setting
 * may also refuse a valid value in this deployment (`refusal`: the reason, or null) and act once a
 * value is saved (`saved`).
 */
export const settingDefinitions = {
  "payments.retry_schedule_days": {
    schema: z
      .array(z.number().int().min(1).max(60))
      .min(0)
      .max(8)
      .refine((days) => days.every((d, i) => i === 0 || d > days[i - 1]!), { message: "days must increase, e.g. [1, 3, 7, 14]" }),
    default: [...DEFAULT_RETRY_DAYS] as number[],
    description: "Days after the first failed charge on which soft declines are retried.",
  },
  "dunning.schedule_days": {
    schema: z
      .object({ reminder: z.number().int().min(1).max(90), warning: z.number().int().min(1).max(90), blocked: z.number().int().min(1).max(90) })
      .strict()
      .refine((s) => s.reminder < s.warning && s.warning < s.blocked, { message: "days must increase: reminder < warning < blocked" }),
    default: { ...DEFAULT_DUNNING_SCHEDULE },
    description: "Days after the first failed charge of an unpaid invoice on which the customer is reminded, warned (status warning) and blocked.",
  },
  "dunning.final_action": {
    schema: z.enum(["unpaid", "cancel", "past_due"]),
    default: "unpaid" as DunningFinalAction,
    description: "What blocking does to the past_due subscription: mark it unpaid (recovered by paying), cancel it, or leave it past_due.",
  },
  "dunning.final_invoice_state": {
    schema: z.enum(["open", "uncollectible"]),
    default: "open" as DunningFinalInvoiceState,
    description: "What blocking does to the unpaid invoice: leave it open, or mark it uncollectible.",
  },
  "business.profile": {
    schema: z
      .object({
        name: z.string().trim().min(1, "Enter the business name customers see.").max(120),
        taxNumber: z.string().trim().max(40),
        supportEmail: z.union([z.literal(""), z.email("Enter an email address, e.g. billing@example.com.")]),
        address: z.string().trim().max(300),
        invoiceFooter: z.string().trim().max(500),
      })
      .strict(),
    default: { name: "Tally", taxNumber: "", supportEmail: "", address: "", invoiceFooter: "" },
    description: "The business customers are billed by: shown in the portal, on invoices and in emails.",
  },
  "business.branding": {
    schema: z
      .object({
        logoUrl: z.union([z.literal(""), z.url({ protocol: /^https?$/, error: "Enter an http(s) URL of the logo image." })]),
        brandColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, "Enter a colour like #4F46E5."),
      })
      .strict(),
    default: { logoUrl: "", brandColor: "#4F46E5" },
    description: "Logo and accent colour for the portal, invoices and emails.",
  },
  "tax.provider": {
    schema: z.enum(["tally", "stripe_tax"]),
    default: "tally" as "tally" | "stripe_tax",
    description: "Who decides tax rates: Tally's rate tables and registrations, or Stripe Tax (needs STRIPE_SECRET_KEY; each customer's place is asked once and kept, decision 039).",
    refusal: (provider: "tally" | "stripe_tax") => (provider === "stripe_tax" && sandboxIsGateway() ? "Stripe Tax needs Stripe as the payment gateway: set STRIPE_SECRET_KEY first." : null),
    // Stripe Tax switched on: every customer with a subscription is asked about now, not at the next daily refresh.
    saved: (provider: "tally" | "stripe_tax", now: Date) => void (provider === "stripe_tax" && nudgeSoon("tax.refresh", now)),
  },
  "documents.missing_tax_number": {
    schema: z.enum(["flag", "refuse"]),
    default: "flag" as "flag" | "refuse",
    description:
      "A tax invoice or credit note without the tax numbers its jurisdiction requires (the seller's ABN, GST or VAT number; the buyer's where required): flag prints it with a visible notice, refuse answers its download with a 409 naming what is missing.",
  },
  "business.locale": {
    schema: z.enum(SUPPORTED_LOCALES, { error: "Choose one of the listed locales." }),
    default: defaultBusinessLocale() as SupportedLocale,
    description: "How amounts, dates and counts are written for customers and staff who have not chosen a locale of their own (from TALLY_DEFAULT_COUNTRY until set).",
  },
  "retention.financial_records_years": {
    schema: z.number().int().min(5).max(12),
    default: 7,
    description: "How long invoices, payments and credit notes are kept after an account is deleted (tax law usually asks for 5–7 years).",
  },
  "retention.audit_years": {
    schema: z.number().int().min(1).max(20),
    default: 7,
    description: "Audit entries older than this many years move to the audit archive (data retention run).",
  },
  "retention.events_years": {
    schema: z.number().int().min(1).max(20),
    default: 2,
    description: "Dispatched outbox events, processed Stripe events and stored emails older than this many years are deleted (data retention run).",
  },
  "retention.automatic": {
    schema: z.boolean(),
    default: false as boolean,
    description: "Whether the daily retention job applies retention itself; when false it only records what would go (staff apply it from Settings).",
  },
  "refunds.support_limit": {
    schema: z.record(
      z.string().regex(/^[a-z]{3}$/, { message: "keys are lowercase currency codes, e.g. aud" }),
      z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    ),
    default: { aud: 5000, usd: 5000, eur: 5000, gbp: 5000, nzd: 5000, cad: 5000 } as Record<string, number>,
    description: "The largest refund support may make, per refund, in minor units by currency (e.g. {\"aud\": 5000} = A$50.00); a currency not listed cannot be refunded by support.",
  },
  "usage.late_window_days": {
    schema: z.number().int().min(0).max(90),
    default: DEFAULT_LATE_WINDOW_DAYS as number,
    description: "How many days after it happened a usage event from an already-invoiced period is still accepted (billed on a supplemental invoice); older ones are refused.",
  },
  "analytics.kpi_targets": {
    schema: kpiTargetsSchema,
    default: DEFAULT_KPI_TARGETS.map((t) => ({ ...t })) as KpiTarget[],
    description: "KPI targets on the Analytics page: [{\"metric\": \"payment_success_rate\", \"direction\": \"at_least\", \"target\": \"0.99\"}, …], rates as decimal strings.",
  },
} as const;

export type SettingKey = keyof typeof settingDefinitions;
export type SettingValue<K extends SettingKey> = z.infer<(typeof settingDefinitions)[K]["schema"]>;

/** What a setting may add to its schema and default (see settingDefinitions). */
interface SettingHooks<K extends SettingKey> {
  refusal?: (value: SettingValue<K>) => string | null;
  saved?: (value: SettingValue<K>, now: Date) => void;
}

export async function getSetting<K extends SettingKey>(tx: Executor, key: K): Promise<SettingValue<K>> {
  const [row] = await tx.select().from(settings).where(eq(settings.key, key));
  return settingValue(key, row ? row.value : undefined);
}

/** A setting's value from what is stored for it (undefined: nothing), its default when absent or no longer valid. */
export function settingValue<K extends SettingKey>(key: K, stored: unknown): SettingValue<K> {
  if (stored === undefined) return settingDefinitions[key].default as SettingValue<K>;
  const parsed = settingDefinitions[key].schema.safeParse(stored);
  return (parsed.success ? parsed.data : settingDefinitions[key].default) as SettingValue<K>;
}

export async function setSetting<K extends SettingKey>(ctx: ServiceContext, key: K, value: unknown): Promise<SettingValue<K>> {
  const definition = settingDefinitions[key];
  if (!definition) throw new AppError("validation_failed", { param: "key", userMessage: `Unknown setting ${String(key)}.` });
  const parsed = definition.schema.safeParse(value);
  if (!parsed.success) throw new AppError("validation_failed", { param: key, userMessage: `${key}: ${parsed.error.issues[0]?.message ?? "invalid value"}` });
  const hooks = definition as SettingHooks<K>;
  const refused = hooks.refusal?.(parsed.data as SettingValue<K>) ?? null;
  if (refused !== null) throw new AppError("validation_failed", { param: key, userMessage: refused });
  const saved = await ctx.db.transaction(async (tx) => {
    const before = await getSetting(tx, key);
    await tx
      .insert(settings)
      .values({ key, value: parsed.data, updatedAt: ctx.now, updatedBy: ctx.actor.id })
      .onConflictDoUpdate({ target: settings.key, set: { value: parsed.data, updatedAt: ctx.now, updatedBy: ctx.actor.id } });
    await recordAudit(tx, ctx.actor, { action: "setting.updated", entityType: "setting", entityId: key, before, after: parsed.data }, ctx.now, ctx.requestId);
    return parsed.data as SettingValue<K>;
  });
  hooks.saved?.(saved, ctx.now);
  return saved;
}
