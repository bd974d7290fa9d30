import { and, eq, gt, isNull, lte } from "drizzle-orm";
import type { Db } from "@/db/client";
import { withItems } from "@/db/queries/subscriptions";
import { customers, subscriptions } from "@/db/schema";
import { TrialEndingEmail, trialEndingSubject } from "@/emails/trial-ending";
import { customerFormatter } from "@/lib/services/readers/formatters";
import { customerDate, paymentMethodsUrl, planLabel, portalUrl, recurringPrice, sendTemplate } from "../facts";
import { DAY_MS } from "@/lib/time";

/** A sending window (72 hours), not a count of the customer's calendar days. */
const WINDOW_MS = 3 * DAY_MS;

export interface ReminderFilter {
  /** Only customers on this test clock (their `now` is the clock's time); default: customers on real time. */
  testClockId?: string;
}

/**
 * Due work: a reminder for every trialing subscription whose trial ends within 3 days of `now`.
 * Idempotent: each email's key is `trial_ending:<subscription>:<trial end>`, so a second run (or a
 * second runner) sends nothing, and a trial moved to another date gets its own reminder.
 */
export async function sendTrialEndingReminders(db: Db, now: Date, filter: ReminderFilter = {}): Promise<{ sent: number }> {
  const rows = await db
    .select({ subscription: subscriptions, customer: customers })
    .from(subscriptions)
    .innerJoin(customers, eq(customers.id, subscriptions.customerId))
    .where(
      and(
        eq(subscriptions.status, "trialing"),
        gt(subscriptions.trialEnd, now),
        lte(subscriptions.trialEnd, new Date(now.getTime() + WINDOW_MS)),
        filter.testClockId ? eq(customers.testClockId, filter.testClockId) : isNull(customers.testClockId),
      ),
    );
  const views = await withItems(
    db,
    rows.map((r) => r.subscription),
  );
  let sent = 0;
  for (const { subscription, customer } of rows) {
    const view = views.find((v) => v.id === subscription.id);
    if (!view || !subscription.trialEnd) continue;
    const fmt = await customerFormatter(db, customer);
    const { price, taxNote } = recurringPrice(fmt, view.items, subscription.currency);
    const props = {
      customerName: customer.name,
      planName: planLabel(view.items),
      trialEndsOn: customerDate(fmt, customer, subscription.trialEnd),
      amount: `${price} (${taxNote})`,
      hasCard: customer.defaultPaymentMethodId !== null,
      portalUrl: portalUrl(),
      addCardUrl: paymentMethodsUrl(),
    };
    const eventId = `trial_ending:${subscription.id}:${subscription.trialEnd.toISOString()}`;
    if (await sendTemplate(db, { component: TrialEndingEmail, props, subject: trialEndingSubject(props), template: "trial-ending", eventId, customer })) sent++;
  }
  return { sent };
}
