import { createElement } from "react";
import type { Db } from "@/db/client";
import { billingAdminEmails } from "@/db/queries/api-cost-budgets";
import { costProvidersByCode } from "@/db/queries/api-costs";
import { BudgetAlertEmail, budgetAlertSubject, QuotaWarningEmail, quotaWarningSubject } from "@/emails/api-cost-alert";
import { renderEmail } from "@/emails/render";
import { sendEmail } from "@/lib/email/transport";
import { appUrl } from "@/lib/env";
import type { OutboxEvent } from "@/lib/events/outbox";
import { formatterFor, type Formatter } from "@/lib/format";
import { businessLocale } from "@/lib/services/readers/formatters";

/** Where the alerts point: the console's budgets page. */
export const budgetsUrl = () => `${appUrl()}/admin/api-costs/budgets`;

const monthName = (fmt: Formatter, iso: string) => fmt.month(new Date(iso));
const dayName = (fmt: Formatter, iso: string) => fmt.date(new Date(iso));
const units = (fmt: Formatter, text: string) => {
  const n = Number(text);
  return Number.isFinite(n) ? fmt.count(n, 6) : text;
};

async function providerLabel(db: Db, code: string, livemode: boolean): Promise<string> {
  const provider = (await costProvidersByCode(db, livemode, [code])).get(code);
  return provider ? `${provider.name} (${code})` : code;
}

/** Alerts go to staff: written in the business locale. */
const staffFormatter = async (db: Db) => formatterFor({ locale: await businessLocale(db) });

/** One email per billing admin and super admin, once per (event, template, recipient). */
async function toBillingAdmins(db: Db, event: OutboxEvent, template: string, subject: string, element: Parameters<typeof renderEmail>[0]): Promise<void> {
  const recipients = await billingAdminEmails(db);
  if (recipients.length === 0) return;
  const { html, text } = await renderEmail(element);
  for (const to of recipients) await sendEmail(db, { to, subject, html, text, template, eventId: event.id });
}

/** budget.threshold_reached → the billing admins. */
export async function sendBudgetAlert(db: Db, event: OutboxEvent): Promise<void> {
  const p = event.payload as { object: { provider: string | null; amount: number; currency: string; livemode: boolean }; threshold: number; spent: number; period_start: string };
  const scope = p.object.provider === null ? "All providers" : await providerLabel(db, p.object.provider, p.object.livemode);
  const fmt = await staffFormatter(db);
  const props = { scope, threshold: p.threshold, spent: fmt.money(p.spent, p.object.currency), amount: fmt.money(p.object.amount, p.object.currency), month: monthName(fmt, p.period_start), budgetsUrl: budgetsUrl() };
  await toBillingAdmins(db, event, "api-cost-budget", budgetAlertSubject(props), createElement(BudgetAlertEmail, props));
}

/** api_cost.quota_warning → the billing admins. */
export async function sendQuotaWarning(db: Db, event: OutboxEvent): Promise<void> {
  const p = event.payload as { code: string; threshold: number; limit: number; used: string; period: "day" | "month"; period_start: string; livemode: boolean };
  const fmt = await staffFormatter(db);
  const props = {
    provider: await providerLabel(db, p.code, p.livemode),
    threshold: p.threshold >= 100 ? (100 as const) : (80 as const),
    used: units(fmt, p.used),
    limit: units(fmt, String(p.limit)),
    window: p.period === "day" ? `today (${dayName(fmt, p.period_start)}, UTC)` : `this month (${monthName(fmt, p.period_start)})`,
    budgetsUrl: budgetsUrl(),
  };
  await toBillingAdmins(db, event, "api-cost-quota", quotaWarningSubject(props), createElement(QuotaWarningEmail, props));
}

