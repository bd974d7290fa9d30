import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { coupons, subscriptions } from "@/db/schema";
import { newId } from "@/lib/ids";
import { cancelSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { pauseSubscription } from "@/lib/services/subscriptions/pause-subscription";
import { balanceOf, clockCustomer, invoiceView, invoicesOf } from "./support";
import { inBothApplyModes } from "./apply-modes";
import { makePlan } from "../factories";

/**
 * Credit for unused time mirrors what the period was billed at: with a 50%-off-forever coupon the
 * customer paid half, so canceling or pausing returns half of the unused time, never the list price.
 *
 * A$30.00 a month, GST-inclusive, Sydney (AEST), the coupon attached after signup:
 *   1 Jul 2027 09:00 AEST (2027-06-30T23:00Z) renewal for July (31 days = 2 678 400 s):
 *     line 3000, discount 1500, GST on the discounted 1500: 1500 / 11 = 136.4 → 136, total 1500
 *   11 Jul 09:00 AEST (2027-07-10T23:00Z), 21 of 31 days unused:
 *     credit −3000 × 21/31 = −2032.26 → −2032, its 50% discount +1016 → 1016 to the balance
 * Canceling now (prorate) and pausing must both credit 1016. With resumes_at 21 Jul (2027-07-20T23:00Z)
 * the resume invoice is 3000 − 1500 = 1500, of which the balance pays 1016 and the card 484.
 */
const START = new Date("2027-05-31T23:00:00Z");
const JUL1 = "2027-06-30T23:00:00.000Z";
const AUG1 = "2027-07-31T23:00:00.000Z";

async function discountedJuly() {
  const clock = await clockCustomer(START);
  const { priceId } = await makePlan(clock.ctx.db, { code: "team", name: "Team", unitAmount: 3000 });
  const { subscription } = await createSubscription(clock.ctx, { customerId: clock.customerId, items: [{ priceId, quantity: 1 }] });
  const couponId = newId("coupon");
  await clock.ctx.db.insert(coupons).values({ id: couponId, name: "Half off", percentOffBps: 5000, duration: "forever" });
  await clock.ctx.db.update(subscriptions).set({ couponId, discountStart: START }).where(eq(subscriptions.id, subscription.id));

  await clock.advance("2027-07-10T23:00:00Z");
  const july = (await invoicesOf(subscription.id))[1]!;
  expect(invoiceView(july)).toEqual({
    billingReason: "subscription_cycle",
    status: "paid",
    periodStart: JUL1,
    periodEnd: AUG1,
    subtotal: 3000,
    discountTotal: 1500,
    tax: 136,
    total: 1500,
    creditApplied: 0,
    amountDue: 1500,
    amountPaid: 1500,
    lines: [{ description: "Team", amount: 3000, quantity: 1, proration: false, periodStart: JUL1, periodEnd: AUG1, tax: 136 }],
  });
  expect(july.couponId).toBe(couponId);
  return { ...clock, subscription };
}

describe("scenario: credit for unused time on a discounted period", () => {
  it("cancel now with prorate credits half of the unused time: 1016", inBothApplyModes(async () => {
    const { ctx, customerId, subscription } = await discountedJuly();
    const { credited } = await cancelSubscription(ctx, subscription.id, { atPeriodEnd: false, prorate: true });
    expect(credited).toBe(1016);
    expect(await balanceOf(customerId)).toBe(1016);
  }));

  it("pause credits the same 1016, and the resume invoice (1500 after the coupon) uses it", inBothApplyModes(async () => {
    const { ctx, customerId, advance, subscription } = await discountedJuly();
    const { credited } = await pauseSubscription(ctx, subscription.id, { resumesAt: new Date("2027-07-20T23:00:00Z") });
    expect(credited).toBe(1016);
    expect(await balanceOf(customerId)).toBe(1016);

    await advance("2027-07-21T00:00:00Z");
    const resumed = (await invoicesOf(subscription.id))[2]!;
    expect(invoiceView(resumed)).toEqual({
      billingReason: "subscription_cycle",
      status: "paid",
      periodStart: "2027-07-20T23:00:00.000Z",
      periodEnd: "2027-08-20T23:00:00.000Z",
      subtotal: 3000,
      discountTotal: 1500,
      tax: 136,
      total: 1500,
      creditApplied: 1016,
      amountDue: 484,
      amountPaid: 484,
      lines: [{ description: "Team", amount: 3000, quantity: 1, proration: false, periodStart: "2027-07-20T23:00:00.000Z", periodEnd: "2027-08-20T23:00:00.000Z", tax: 136 }],
    });
    expect(await balanceOf(customerId)).toBe(0);
  }));
});
