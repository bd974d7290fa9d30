import type { Db } from "@/db/client";
import { SubscriptionPausedEmail, subscriptionPausedSubject } from "@/emails/subscription-paused";
import type { OutboxEvent } from "@/lib/events/outbox";
import { customerDate, loadSubscriptionAndCustomer, planLabel, portalUrl, sendTemplate } from "./facts";
import { customerFormatter } from "@/lib/services/readers/formatters";

/** customer.subscription.paused → "paused", with the day it resumes by itself when set. */
export async function sendSubscriptionPaused(db: Db, event: OutboxEvent): Promise<void> {
  const loaded = await loadSubscriptionAndCustomer(db, event.payload.subscription);
  if (!loaded) return;
  const { subscription, customer } = loaded;
  const fmt = await customerFormatter(db, customer);
  if (subscription.status !== "paused") return;
  const props = {
    customerName: customer.name,
    planName: planLabel(subscription.items),
    pausedOn: customerDate(fmt, customer, subscription.pausedAt ?? subscription.currentPeriodStart),
    resumesOn: subscription.pauseResumesAt ? customerDate(fmt, customer, subscription.pauseResumesAt) : null,
    portalUrl: portalUrl(),
  };
  await sendTemplate(db, { component: SubscriptionPausedEmail, props, subject: subscriptionPausedSubject(props), template: "subscription-paused", eventId: event.id, customer });
}
