import type { Db } from "@/db/client";
import { findInvoice } from "@/db/queries/invoices";
import { PlanChangedEmail, planChangedSubject } from "@/emails/plan-changed";
import type { OutboxEvent } from "@/lib/events/outbox";
import { customerDate, loadSubscriptionAndCustomer, payloadItems, planLabel, portalUrl, resolveItems, sendTemplate } from "./facts";
import { customerFormatter } from "@/lib/services/readers/formatters";

/**
 * customer.subscription.updated whose payload says the items changed (`change: "items"` from
 * updateSubscription, `"scheduled_change_applied"` from the renewal) → the "plan changed" email:
 * old → new, what the invoice made now charged or credited, and the next invoice date.
 */
export async function sendPlanChanged(db: Db, event: OutboxEvent): Promise<void> {
  const { change } = event.payload;
  if (change !== "items" && change !== "scheduled_change_applied") return;
  const from = payloadItems(event.payload.from);
  const to = payloadItems(event.payload.to);
  if (!from || !to) return;
  const loaded = await loadSubscriptionAndCustomer(db, event.payload.subscription);
  if (!loaded) return;
  const { subscription, customer } = loaded;
  const fmt = await customerFormatter(db, customer);
  const appliedNow = change === "scheduled_change_applied" || event.payload.effective === "now";
  const invoice = typeof event.payload.invoice === "string" ? await findInvoice(db, event.payload.invoice) : undefined;
  const money = (n: number) => fmt.money(n, subscription.currency);
  // A scheduled change's invoice is the renewal, not a charge for the change itself.
  const forChange = change === "items" ? invoice : undefined;
  const scheduledFor = subscription.pendingChange ? new Date(subscription.pendingChange.effective_at) : subscription.currentPeriodEnd;
  const props = {
    customerName: customer.name,
    fromPlan: planLabel(await resolveItems(db, from)),
    toPlan: planLabel(await resolveItems(db, to)),
    effectiveOn: customerDate(fmt, customer, appliedNow ? (invoice?.createdAt ?? subscription.currentPeriodStart) : scheduledFor),
    appliedNow,
    chargedNow: forChange && forChange.total > 0 ? money(forChange.total) : null,
    creditedNow: forChange && forChange.excessCredited > 0 ? money(forChange.excessCredited) : null,
    nextInvoiceOn: customerDate(fmt, customer, subscription.currentPeriodEnd),
    portalUrl: portalUrl(),
  };
  await sendTemplate(db, { component: PlanChangedEmail, props, subject: planChangedSubject(props), template: "plan-changed", eventId: event.id, customer });
}
