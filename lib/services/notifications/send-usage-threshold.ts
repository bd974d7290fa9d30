import type { Db } from "@/db/client";
import { findCustomer } from "@/db/queries/customers";
import { UsageSpendEmail, usageSpendSubject, UsageThresholdEmail, usageThresholdSubject } from "@/emails/usage-threshold";
import type { OutboxEvent } from "@/lib/events/outbox";
import { customerDate, portalUrl, sendTemplate } from "./facts";
import { customerFormatter } from "@/lib/services/readers/formatters";
import type { Formatter } from "@/lib/format";

const count = (fmt: Formatter, n: unknown) => (typeof n === "number" ? fmt.count(n, 12) : String(n));

/**
 * usage.threshold_reached → once per event (the event is written once per customer, feature,
 * threshold and period, or per subscription, spend threshold, threshold and period): "80% used" /
 * "limit reached" for a plan's limit (kind limit), "usage charges at 80%" / "reached" for a
 * subscription's spend threshold (kind spend).
 */
export async function sendUsageThreshold(db: Db, event: OutboxEvent): Promise<void> {
  const p = event.payload;
  const customer = typeof p.customer === "string" ? await findCustomer(db, p.customer) : undefined;
  if (!customer) return;
  const fmt = await customerFormatter(db, customer);
  const threshold = p.threshold === 100 ? (100 as const) : (80 as const);
  if (p.kind === "spend") {
    const currency = String(p.currency);
    const props = {
      customerName: customer.name,
      threshold,
      amount: fmt.money(Number(p.amount), currency),
      spendThreshold: fmt.money(Number(p.spend_threshold), currency),
      billedOn: customerDate(fmt, customer, new Date(String(p.period_end))),
      portalUrl: portalUrl(),
    };
    await sendTemplate(db, { component: UsageSpendEmail, props, subject: usageSpendSubject(props), template: "usage-spend", eventId: event.id, customer });
    return;
  }
  const props = {
    customerName: customer.name,
    feature: String(p.feature),
    threshold,
    used: count(fmt, p.used),
    limit: count(fmt, p.limit),
    hard: p.hard === true,
    resetsOn: customerDate(fmt, customer, new Date(String(p.period_end))),
    portalUrl: portalUrl(),
  };
  await sendTemplate(db, { component: UsageThresholdEmail, props, subject: usageThresholdSubject(props), template: "usage-threshold", eventId: event.id, customer });
}
