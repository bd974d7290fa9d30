import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { cancelSubscription, reactivateSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { upcomingInvoice } from "@/lib/services/subscriptions/preview";
import { balanceOf, clockCustomer, invoiceView, invoicesOf, statusHistory, subscriptionRow } from "./support";
import { inBothApplyModes } from "./apply-modes";
import { makePlan } from "../factories";

/**
 * A$10.00 a month, GST-inclusive (91 GST), Sydney (AEST):
 *   period 1 Jun 2027 09:00 AEST (2027-05-31T23:00Z) → 1 Jul (2027-06-30T23:00Z) → 1 Aug (2027-07-31T23:00Z)
 * Cancel at the period end on 10 Jun; either reactivate on 20 Jun (the 1 Jul renewal happens) or
 * not (the subscription ends at 1 Jul 09:00 and no renewal invoice is made).
 */
const START = new Date("2027-05-31T23:00:00Z");
const JUL1 = "2027-06-30T23:00:00.000Z";
const AUG1 = "2027-07-31T23:00:00.000Z";

const starterInvoice = (billingReason: string, start: string, end: string) => ({
  billingReason,
  status: "paid",
  periodStart: start,
  periodEnd: end,
  subtotal: 1000,
  discountTotal: 0,
  tax: 91,
  total: 1000,
  creditApplied: 0,
  amountDue: 1000,
  amountPaid: 1000,
  lines: [{ description: "Starter", amount: 1000, quantity: 1, proration: false, periodStart: start, periodEnd: end, tax: 91 }],
});

async function starter() {
  const clock = await clockCustomer(START);
  const { priceId } = await makePlan(clock.ctx.db, { code: "starter", name: "Starter", unitAmount: 1000 });
  const { subscription } = await createSubscription(clock.ctx, { customerId: clock.customerId, items: [{ priceId, quantity: 1 }] });
  await clock.advance("2027-06-09T23:00:00Z");
  const { subscription: scheduled, credited } = await cancelSubscription(clock.ctx, subscription.id, { atPeriodEnd: true, reason: "moving" });
  expect(credited).toBe(0);
  expect(scheduled).toMatchObject({ status: "active", cancelAtPeriodEnd: true, cancellationReason: "moving", endedAt: null });
  expect(scheduled.canceledAt?.toISOString()).toBe("2027-06-09T23:00:00.000Z");
  expect(scheduled.nextDueAt?.toISOString()).toBe(JUL1);
  // No renewal to preview while it is set to cancel.
  await expect(upcomingInvoice(clock.ctx, subscription.id)).rejects.toBeInstanceOf(AppError);
  return { ...clock, subscription };
}

describe("scenario: cancel at the period end", () => {
  it("reactivated before the end: cancel_at_period_end goes back to false and the 1 Jul renewal happens", inBothApplyModes(async () => {
    const { ctx, advance, subscription } = await starter();
    await advance("2027-06-19T23:00:00Z");
    const reactivated = await reactivateSubscription(ctx, subscription.id);
    expect(reactivated).toMatchObject({ status: "active", cancelAtPeriodEnd: false, canceledAt: null, cancellationReason: null });
    expect((await upcomingInvoice(ctx, subscription.id)).date.toISOString()).toBe(JUL1);

    await advance("2027-07-02T00:00:00Z");
    expect((await invoicesOf(subscription.id)).map(invoiceView)).toEqual([
      starterInvoice("subscription_create", START.toISOString(), JUL1),
      starterInvoice("subscription_cycle", JUL1, AUG1),
    ]);
    const sub = await subscriptionRow(subscription.id);
    expect(sub).toMatchObject({ status: "active", cancelAtPeriodEnd: false, endedAt: null });
    expect(await statusHistory(subscription.id)).toEqual(["∅→incomplete", "incomplete→active"]);
  }));

  it("not reactivated: canceled at 1 Jul 09:00 with no renewal invoice, nothing after", inBothApplyModes(async () => {
    const { advance, customerId, subscription } = await starter();
    await advance("2027-06-30T22:59:59Z");
    expect((await subscriptionRow(subscription.id)).status).toBe("active");

    await advance("2027-09-01T00:00:00Z");
    expect((await invoicesOf(subscription.id)).map(invoiceView)).toEqual([starterInvoice("subscription_create", START.toISOString(), JUL1)]);
    const sub = await subscriptionRow(subscription.id);
    expect(sub.status).toBe("canceled");
    expect(sub.endedAt?.toISOString()).toBe(JUL1);
    // canceled_at is when it was requested, like Stripe.
    expect(sub.canceledAt?.toISOString()).toBe("2027-06-09T23:00:00.000Z");
    expect(sub.nextDueAt).toBeNull();
    expect(await statusHistory(subscription.id)).toEqual(["∅→incomplete", "incomplete→active", "active→canceled"]);
    // The whole period was used: no credit.
    expect(await balanceOf(customerId)).toBe(0);
  }));
});
