import type { Db } from "@/db/client";
import { SubscriptionResumedEmail, subscriptionResumedSubject } from "@/emails/subscription-resumed";
import type { OutboxEvent } from "@/lib/events/outbox";
import { customerDate, loadSubscriptionAndCustomer, planLabel, portalUrl, recurringPrice, sendTemplate } from "./facts";
import { customerFormatter } from "@/lib/services/readers/formatters";

/** customer.subscription.resumed → "resumed", with the price and the next billing date. */
export async function sendSubscriptionResumed(db: Db, event: OutboxEvent): Promise<void> {
  const loaded = await loadSubscriptionAndCustomer(db, event.payload.subscription);
  if (!loaded) return;
  const { subscription, customer } = loaded;
  const fmt = await customerFormatter(db, customer);
  if (subscription.status === "paused" || subscription.status === "canceled" || subscription.status === "incomplete_expired") return;
  const { price, taxNote } = recurringPrice(fmt, subscription.items, subscription.currency);
  const props = {
    customerName: customer.name,
    planName: planLabel(subscription.items),
    price: `${price} (${taxNote})`,
    nextBillingOn: customerDate(fmt, customer, subscription.currentPeriodEnd),
    portalUrl: portalUrl(),
  };
  await sendTemplate(db, { component: SubscriptionResumedEmail, props, subject: subscriptionResumedSubject(props), template: "subscription-resumed", eventId: event.id, customer });
}
