import { describe, expect, it } from "vitest";
import { createCoupon } from "@/lib/services/discounts/create-coupon";
import { createPromotionCode } from "@/lib/services/discounts/create-promotion-code";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { applyDiscount } from "@/lib/services/subscriptions/apply-discount";
import { clockCustomer, invoicesOf, subscriptionRow } from "./support";
import { inBothApplyModes, perRun } from "./apply-modes";
import { makePlan } from "../factories";

describe("scenario: a coupon repeating for 3 months", () => {
  it("takes 25% off the first three invoices (GST on the discounted amount) and bills in full after", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(new Date("2027-03-01T00:00:00Z"));
    const { planId, priceId } = await makePlan(ctx.db, { code: "pro", name: "Pro", unitAmount: 2900 });
    const coupon = await createCoupon(ctx, { name: "Launch", percentOff: 25, duration: "repeating", durationInPeriods: 3, appliesToPlans: [planId] });
    const promo = await createPromotionCode(ctx, { code: perRun("LAUNCH25"), couponId: coupon.id });
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }], promotionCode: perRun("launch25") });
    await advance("2027-07-15T00:00:00Z");

    const invoices = await invoicesOf(subscription.id);
    expect(invoices).toHaveLength(5);
    // 2900 × 25% = 725 off → 2175 gross incl. GST; GST = 2175 / 11 = 197.7 → 198.
    for (const inv of invoices.slice(0, 3)) {
      expect(inv.lines[0]).toMatchObject({ amount: 2900, discountAmount: 725 });
      expect(inv.lines[0]?.taxAmounts[0]?.amount).toBe(198);
      expect(inv).toMatchObject({ subtotal: 2900, discountTotal: 725, tax: 198, total: 2175, amountDue: 2175, amountPaid: 2175, status: "paid", couponId: coupon.id });
    }
    // Months 4 and 5: full price, GST 2900 / 11 = 263.6 → 264.
    for (const inv of invoices.slice(3)) {
      expect(inv.lines[0]).toMatchObject({ amount: 2900, discountAmount: 0 });
      expect(inv).toMatchObject({ subtotal: 2900, discountTotal: 0, tax: 264, total: 2900, amountPaid: 2900, couponId: null });
    }
    expect((await subscriptionRow(subscription.id)).discountPeriodsApplied).toBe(3);
    expect(promo.code).toBe(perRun("LAUNCH25"));
  }));

  it("refuses a coupon restricted to other plans, and a fully redeemed one, naming the field", inBothApplyModes(async () => {
    const { ctx, customerId } = await clockCustomer(new Date("2027-03-01T00:00:00Z"));
    const { priceId } = await makePlan(ctx.db, { code: "basic", unitAmount: 1000 });
    const other = await makePlan(ctx.db, { code: "other", unitAmount: 1000 });
    const restricted = await createCoupon(ctx, { percentOff: 10, duration: "once", appliesToPlans: [other.planId] });
    await expect(createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }], couponId: restricted.id })).rejects.toMatchObject({ code: "validation_failed", param: "coupon" });

    const once = await createCoupon(ctx, { amountOff: 300, currency: "aud", duration: "once", maxRedemptions: 1 });
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }], couponId: once.id });
    const [first] = await invoicesOf(subscription.id);
    expect(first).toMatchObject({ subtotal: 1000, discountTotal: 300, total: 700, tax: 64 });
    await expect(applyDiscount(ctx, subscription.id, { couponId: once.id })).rejects.toMatchObject({ code: "validation_failed", param: "coupon" });
  }));
});
