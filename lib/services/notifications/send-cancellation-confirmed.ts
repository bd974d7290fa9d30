import type { Db } from "@/db/client";
import { CancellationConfirmedEmail, cancellationConfirmedSubject } from "@/emails/cancellation-confirmed";
import type { OutboxEvent } from "@/lib/events/outbox";
import { customerDate, loadSubscriptionAndCustomer, planLabel, portalUrl, sendTemplate } from "./facts";
import { customerFormatter } from "@/lib/services/readers/formatters";

/**
 * customer.subscription.deleted (ended now, with any credit from the payload) and
 * customer.subscription.updated with `cancel_at_period_end: true` (ends at the period end)
 * → the cancellation confirmation. A scheduled cancellation already undone is not confirmed.
 */
export async function sendCancellationConfirmed(db: Db, event: OutboxEvent): Promise<void> {
  const endedNow = event.type === "customer.subscription.deleted";
  if (!endedNow && event.payload.cancel_at_period_end !== true) return;
  const loaded = await loadSubscriptionAndCustomer(db, event.payload.subscription);
  if (!loaded) return;
  const { subscription, customer } = loaded;
  const fmt = await customerFormatter(db, customer);
  if (!endedNow && (!subscription.cancelAtPeriodEnd || subscription.endedAt)) return;
  const credited = typeof event.payload.credited === "number" && event.payload.credited > 0 ? fmt.money(event.payload.credited, subscription.currency) : null;
  const props = {
    customerName: customer.name,
    planName: planLabel(subscription.items),
    endsOn: customerDate(fmt, customer, endedNow ? (subscription.endedAt ?? subscription.canceledAt ?? subscription.currentPeriodEnd) : subscription.currentPeriodEnd),
    endedNow,
    credited,
    portalUrl: portalUrl(),
  };
  await sendTemplate(db, { component: CancellationConfirmedEmail, props, subject: cancellationConfirmedSubject(props), template: "cancellation-confirmed", eventId: event.id, customer });
}
