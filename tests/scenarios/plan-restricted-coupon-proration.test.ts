import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { coupons, subscriptions } from "@/db/schema";
import { newId } from "@/lib/ids";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { previewSubscriptionUpdate } from "@/lib/services/subscriptions/preview";
import { updateSubscription } from "@/lib/services/subscriptions/update-subscription";
import { clockCustomer, draftMoney, invoiceMoney, invoiceView, invoicesOf } from "./support";
import { inBothApplyModes } from "./apply-modes";
import { makePlan } from "../factories";

/**
 * A 50%-off-forever coupon restricted to the Starter plan, then Starter (A$10) → Pro (A$29) with
 * create_prorations. The credit for unused Starter time is for a Starter price, so the coupon still
 * applies to it (the customer paid half) even though Starter is no longer on the subscription —
 * in the change preview and on the renewal alike (R10). Sydney, AEST, GST-inclusive.
 *
 *   1 Jul 2027 09:00 AEST (2027-06-30T23:00Z) renewal for July (31 days = 2 678 400 s):
 *     Starter 1000, discount 500, GST on 500: 45.5 → 45, total 500
 *   16 Jul 14:30 AEST (2027-07-16T04:30Z) upgrade, 15 d 18 h 30 min = 1 362 600 s left:
 *     credit Starter −1000 × 1 362 600 / 2 678 400 = −508.74 → −509, its 50% −254.5 → −255 (half
 *       away from zero), net −254, GST −254 / 11 = −23.1 → −23
 *     charge Pro   2900 × 1 362 600 / 2 678 400 = 1475.34 → 1475, no discount, GST 134.1 → 134
 *   1 Aug renewal: Pro 2900 (GST 264) − 509 + 1475 = 3866 subtotal; discounts −255 (the credit's
 *     discount gives back less); total 3866 + 255 = 4121; GST 264 − 23 + 134 = 375.
 */
const JUL1 = "2027-06-30T23:00:00.000Z";
const AUG1 = "2027-07-31T23:00:00.000Z";
const SEP1 = "2027-08-31T23:00:00.000Z";
const CHANGE = "2027-07-16T04:30:00.000Z";

describe("scenario: prorations under a plan-restricted coupon", () => {
  it("discounts the credit for the plan changed away from, on the renewal exactly as previewed", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(new Date("2027-05-31T23:00:00Z"));
    const starter = await makePlan(ctx.db, { code: "starter", name: "Starter", unitAmount: 1000 });
    const pro = await makePlan(ctx.db, { code: "pro", name: "Pro", unitAmount: 2900 });
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId: starter.priceId, quantity: 1 }] });
    const couponId = newId("coupon");
    await ctx.db.insert(coupons).values({ id: couponId, name: "Half off Starter", percentOffBps: 5000, duration: "forever", appliesToPlans: [starter.planId] });
    await ctx.db.update(subscriptions).set({ couponId }).where(eq(subscriptions.id, subscription.id));

    await advance(CHANGE);
    const input = { items: [{ priceId: pro.priceId, quantity: 1 }], prorationBehavior: "create_prorations" as const, effective: "now" as const };
    const preview = await previewSubscriptionUpdate(ctx, subscription.id, input);
    await updateSubscription(ctx, subscription.id, input);
    await advance("2027-08-02T00:00:00Z");

    const [, july, august] = await invoicesOf(subscription.id);
    expect(invoiceView(july!)).toMatchObject({ periodStart: JUL1, subtotal: 1000, discountTotal: 500, tax: 45, total: 500, amountDue: 500 });
    expect(invoiceView(august!)).toEqual({
      billingReason: "subscription_cycle",
      status: "paid",
      periodStart: AUG1,
      periodEnd: SEP1,
      subtotal: 3866,
      discountTotal: -255,
      tax: 375,
      total: 4121,
      creditApplied: 0,
      amountDue: 4121,
      amountPaid: 4121,
      lines: [
        { description: "Pro", amount: 2900, quantity: 1, proration: false, periodStart: AUG1, periodEnd: SEP1, tax: 264 },
        { description: "Unused time on Starter after 16 July 2027", amount: -509, quantity: 1, proration: true, periodStart: CHANGE, periodEnd: AUG1, tax: -23 },
        { description: "Remaining time on Pro after 16 July 2027", amount: 1475, quantity: 1, proration: true, periodStart: CHANGE, periodEnd: AUG1, tax: 134 },
      ],
    });
    expect(august!.lines.map((l) => l.discountAmount)).toEqual([0, -255, 0]);
    // R10: the change preview's next invoice is this renewal, discount included.
    expect(preview.next && draftMoney(preview.next.invoice)).toEqual(invoiceMoney(august!));
  }));
});
