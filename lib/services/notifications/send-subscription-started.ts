import type { Db } from "@/db/client";
import { SubscriptionStartedEmail, subscriptionStartedSubject } from "@/emails/subscription-started";
import type { OutboxEvent } from "@/lib/events/outbox";
import { customerDate, loadSubscriptionAndCustomer, planLabel, portalUrl, recurringPrice, sendTemplate } from "./facts";
import { customerFormatter } from "@/lib/services/readers/formatters";

/** customer.subscription.created → the welcome email, for an active or trialing subscription (not an incomplete one). */
export async function sendSubscriptionStarted(db: Db, event: OutboxEvent): Promise<void> {
  const loaded = await loadSubscriptionAndCustomer(db, event.payload.subscription);
  if (!loaded) return;
  const { subscription, customer } = loaded;
  const fmt = await customerFormatter(db, customer);
  if (subscription.status !== "active" && subscription.status !== "trialing") return;
  const { price, taxNote } = recurringPrice(fmt, subscription.items, subscription.currency);
  const trialing = subscription.status === "trialing" && subscription.trialEnd !== null;
  const props = {
    customerName: customer.name,
    planName: planLabel(subscription.items),
    price,
    taxNote,
    trialEndsOn: trialing && subscription.trialEnd ? customerDate(fmt, customer, subscription.trialEnd) : null,
    nextBillingOn: customerDate(fmt, customer, subscription.currentPeriodEnd),
    portalUrl: portalUrl(),
  };
  await sendTemplate(db, { component: SubscriptionStartedEmail, props, subject: subscriptionStartedSubject(props), template: "subscription-started", eventId: event.id, customer });
}
