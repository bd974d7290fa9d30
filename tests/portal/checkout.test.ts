import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { paymentMethods } from "@/db/schema";
import { findPriceWithPlan } from "@/db/queries/catalog";
import { checkout } from "@/lib/services/checkout/checkout";
import { previewCheckout } from "@/lib/services/checkout/preview-checkout";
import { createCoupon } from "@/lib/services/discounts/create-coupon";
import { createPromotionCode } from "@/lib/services/discounts/create-promotion-code";
import { clockCustomer, customerRow, invoicesOf } from "../scenarios/support";
import { makePlan } from "../factories";

const START = new Date("2027-02-10T01:00:00Z");

async function planAndCustomer(spec: { trialDays?: number; unitAmount?: number } = {}) {
  const env = await clockCustomer(START, { token: null });
  const { planId, priceId } = await makePlan(env.ctx.db, { code: "pro", name: "Pro", unitAmount: spec.unitAmount ?? 2900, trialDays: spec.trialDays ?? 0 });
  const found = await findPriceWithPlan(env.ctx.db, priceId);
  return { ...env, planId, priceId, plan: found!.plan, price: found!.price };
}

describe("checkout with a promotion code", () => {
  it("previews the discounted first invoice, and the subscription's first invoice is exactly that", async () => {
    const { ctx, customerId, planId, priceId, plan, price } = await planAndCustomer();
    const coupon = await createCoupon(ctx, { name: "Launch", percentOff: 25, duration: "repeating", durationInPeriods: 3, appliesToPlans: [planId] });
    await createPromotionCode(ctx, { code: "LAUNCH25", couponId: coupon.id });
    const preview = await previewCheckout(ctx.db, await customerRow(customerId), plan, price, ctx.now, { promotionCode: " launch25 " });
    expect(preview.discount).toEqual({ code: "LAUNCH25", summary: "25% off for 3 months" });
    expect(preview.invoice).toMatchObject({ subtotal: 2900, discountTotal: 725, tax: 198, total: 2175, amountDue: 2175 });
    expect(preview.dueToday).toBe(2175);

    const result = await checkout(ctx, { customerId, priceId, token: "pm_card_visa", promotionCode: "launch25" });
    expect(result.subscription?.status).toBe("active");
    const [first] = await invoicesOf(result.subscription!.id);
    expect(first).toMatchObject({ subtotal: 2900, discountTotal: 725, tax: 198, total: 2175, amountPaid: preview.dueToday, status: "paid", couponId: coupon.id });
  });

  it("refuses an unknown or expired code naming the field, before any card is saved", async () => {
    const { ctx, customerId, planId, priceId, plan, price } = await planAndCustomer();
    const customer = await customerRow(customerId);
    await expect(previewCheckout(ctx.db, customer, plan, price, ctx.now, { promotionCode: "NOPE" })).rejects.toMatchObject({ code: "not_found", param: "promotion_code" });
    const coupon = await createCoupon(ctx, { percentOff: 10, duration: "once", appliesToPlans: [planId] });
    await createPromotionCode(ctx, { code: "SOON-OVER", couponId: coupon.id, expiresAt: new Date(START.getTime() + 60_000) });
    const later = { ...ctx, now: new Date(START.getTime() + 120_000) };
    // The customer's now is its test clock's: move the clock past the expiry.
    const { advanceTestClock } = await import("@/lib/services/test-clocks/advance-test-clock");
    await advanceTestClock(ctx, customer.testClockId!, new Date(START.getTime() + 120_000));
    await expect(previewCheckout(ctx.db, customer, plan, price, later.now, { promotionCode: "soon-over" })).rejects.toMatchObject({
      code: "validation_failed",
      param: "promotion_code",
      userMessage: "This promotion code has expired.",
    });
    await expect(checkout(ctx, { customerId, priceId, token: "pm_card_visa", promotionCode: "soon-over" })).rejects.toMatchObject({ param: "promotion_code" });
    expect(await ctx.db.select().from(paymentMethods).where(eq(paymentMethods.customerId, customerId))).toEqual([]);
  });
});

describe("checkout with a trial", () => {
  it("owes nothing today and the first invoice after the trial is the previewed one", async () => {
    const { ctx, customerId, priceId, plan, price, advance } = await planAndCustomer({ trialDays: 14 });
    const preview = await previewCheckout(ctx.db, await customerRow(customerId), plan, price, ctx.now);
    expect(preview.dueToday).toBe(0);
    expect(preview.trialEnd?.toISOString()).toBe("2027-02-24T01:00:00.000Z");
    const result = await checkout(ctx, { customerId, priceId, token: "pm_card_visa" });
    expect(result.subscription?.status).toBe("trialing");
    expect(result.subscription?.trialEnd?.toISOString()).toBe(preview.trialEnd?.toISOString());
    expect(await invoicesOf(result.subscription!.id)).toEqual([]);
    await advance("2027-02-24T01:00:01Z");
    const [first] = await invoicesOf(result.subscription!.id);
    expect(first).toMatchObject({ total: preview.invoice.total, tax: preview.invoice.tax, amountPaid: preview.invoice.amountDue, status: "paid" });
  });
});
