import type { Db } from "@/db/client";
import { findCustomer } from "@/db/queries/customers";
import { UsageThresholdEmail, usageThresholdSubject } from "@/emails/usage-threshold";
import type { OutboxEvent } from "@/lib/events/outbox";
import { customerDate, portalUrl, sendTemplate } from "./facts";

const count = (n: unknown) => (typeof n === "number" ? n.toLocaleString("en-AU", { maximumFractionDigits: 12 }) : String(n));

/** usage.threshold_reached → "80% used" / "limit reached", once per event (the event is written once per customer, feature, threshold and period). */
export async function sendUsageThreshold(db: Db, event: OutboxEvent): Promise<void> {
  const p = event.payload;
  const customer = typeof p.customer === "string" ? await findCustomer(db, p.customer) : undefined;
  if (!customer) return;
  const props = {
    customerName: customer.name,
    feature: String(p.feature),
    threshold: p.threshold === 100 ? (100 as const) : (80 as const),
    used: count(p.used),
    limit: count(p.limit),
    hard: p.hard === true,
    resetsOn: customerDate(customer, new Date(String(p.period_end))),
    portalUrl: portalUrl(),
  };
  await sendTemplate(db, { component: UsageThresholdEmail, props, subject: usageThresholdSubject(props), template: "usage-threshold", eventId: event.id, customer });
}
