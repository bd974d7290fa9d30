import { describe, expect, it } from "vitest";
import { cancelSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { pauseSubscription } from "@/lib/services/subscriptions/pause-subscription";
import { upcomingInvoice } from "@/lib/services/subscriptions/preview";
import { updateSubscription } from "@/lib/services/subscriptions/update-subscription";
import { balanceOf, clockCustomer, draftMoney, invoiceMoney, invoiceView, invoicesOf, paymentsOfInvoice, pendingItemsOf, subscriptionRow } from "./support";
import { inBothApplyModes } from "./apply-modes";
import { makePlan } from "../factories";

/**
 * A subscription that ends while create_prorations lines wait for its next invoice must still
 * settle them; there is no next invoice. Sydney (AEST), GST-inclusive:
 *
 *   period   1 Jun 2027 09:00 AEST (2027-05-31T23:00Z) → 1 Jul (2027-06-30T23:00Z), 2 592 000 s
 *   16 Jun 14:30 AEST (2027-06-16T04:30Z) Starter A$10 → Pro A$29, create_prorations, 1 276 200 s left:
 *            pending −492 (GST −45) and +1428 (GST 130): the customer owes 936 for the upgrade
 *   20 Jun 14:30 AEST (2027-06-20T04:30Z) the subscription ends early, 930 600 s left
 *            (10 d 18 h 30 min): unused Pro −2900 × 930 600 / 2 592 000 = −1041.18 → −1041, GST −94.6 → −95
 *
 * Cancel now with prorate: −492 + 1428 − 1041 = −105 (GST −10) → the customer gets 105 back.
 * (Before the fix the pending lines were left behind and the customer was credited 1041 — more than
 * the 1000 they had paid for the month, having used it for 19 days.)
 */
const START = new Date("2027-05-31T23:00:00Z");
const P_END = "2027-06-30T23:00:00.000Z";
const UPGRADE_AT = "2027-06-16T04:30:00.000Z";
const END_AT = "2027-06-20T04:30:00.000Z";
const PENDING = [
  { description: "Unused time on Starter after 16 June 2027", amount: -492, quantity: 1, proration: true, periodStart: UPGRADE_AT, periodEnd: P_END, tax: -45 },
  { description: "Remaining time on Pro after 16 June 2027", amount: 1428, quantity: 1, proration: true, periodStart: UPGRADE_AT, periodEnd: P_END, tax: 130 },
];

async function upgradedWithPendingProrations() {
  const clock = await clockCustomer(START);
  const starter = await makePlan(clock.ctx.db, { code: "starter", name: "Starter", unitAmount: 1000 });
  const pro = await makePlan(clock.ctx.db, { code: "pro", name: "Pro", unitAmount: 2900 });
  const { subscription } = await createSubscription(clock.ctx, { customerId: clock.customerId, items: [{ priceId: starter.priceId, quantity: 1 }] });
  await clock.advance(UPGRADE_AT);
  await updateSubscription(clock.ctx, subscription.id, { items: [{ priceId: pro.priceId, quantity: 1 }], prorationBehavior: "create_prorations", effective: "now" });
  expect((await pendingItemsOf(subscription.id, { open: true })).map((p) => p.amount)).toEqual([-492, 1428]);
  await clock.advance(END_AT);
  return { ...clock, subscription };
}

const finalInvoice = (o: { lines: typeof PENDING; subtotal: number; tax: number; creditApplied?: number }) => {
  const total = Math.max(0, o.subtotal);
  const creditApplied = o.creditApplied ?? 0;
  return {
    billingReason: "subscription_update",
    status: "paid",
    periodStart: START.toISOString(),
    periodEnd: P_END,
    subtotal: o.subtotal,
    discountTotal: 0,
    tax: o.tax,
    total,
    creditApplied,
    amountDue: total - creditApplied,
    amountPaid: total - creditApplied,
    lines: o.lines,
  };
};

describe("scenario: a subscription ends with prorations still pending", () => {
  it("cancel now with prorate: one final invoice nets the pending lines with the credit, −105 → 105 to the balance", inBothApplyModes(async () => {
    const { ctx, customerId, advance, subscription } = await upgradedWithPendingProrations();
    const { credited, subscription: canceled } = await cancelSubscription(ctx, subscription.id, { atPeriodEnd: false, prorate: true });
    expect(canceled.status).toBe("canceled");
    expect(credited).toBe(105);
    expect(await balanceOf(customerId)).toBe(105);

    await advance("2027-09-01T00:00:00Z");
    const [, final, ...rest] = await invoicesOf(subscription.id);
    expect(rest).toEqual([]);
    expect(invoiceView(final!)).toEqual(
      finalInvoice({
        subtotal: -105,
        tax: -10,
        lines: [...PENDING, { description: "Unused time on Pro after 20 June 2027", amount: -1041, quantity: 1, proration: true, periodStart: END_AT, periodEnd: P_END, tax: -95 }],
      }),
    );
    expect(final!.excessCredited).toBe(105);
    expect(await paymentsOfInvoice(final!.id)).toEqual([]);
    expect(await pendingItemsOf(subscription.id, { open: true })).toEqual([]);
  }));

  it("cancel now without prorate: the upgrade's 936 is invoiced and charged", inBothApplyModes(async () => {
    const { ctx, customerId, subscription } = await upgradedWithPendingProrations();
    const { credited } = await cancelSubscription(ctx, subscription.id, { atPeriodEnd: false });
    expect(credited).toBe(0);
    const [, final] = await invoicesOf(subscription.id);
    expect(invoiceView(final!)).toEqual(finalInvoice({ subtotal: 936, tax: 85, lines: PENDING }));
    expect((await paymentsOfInvoice(final!.id)).map((p) => [p.status, p.amount])).toEqual([["succeeded", 936]]);
    expect((await subscriptionRow(subscription.id)).latestInvoiceId).toBe(final!.id);
    expect(await balanceOf(customerId)).toBe(0);
  }));

  it("cancel at the period end: the pending lines are the final invoice on 1 Jul, exactly as previewed", inBothApplyModes(async () => {
    const { ctx, advance, subscription } = await upgradedWithPendingProrations();
    await cancelSubscription(ctx, subscription.id, { atPeriodEnd: true });
    const upcoming = await upcomingInvoice(ctx, subscription.id);
    expect(upcoming.date.toISOString()).toBe(P_END);

    await advance("2027-08-01T00:00:00Z");
    const invoices = await invoicesOf(subscription.id);
    expect(invoices).toHaveLength(2);
    const final = invoices[1]!;
    expect(invoiceView(final)).toEqual(finalInvoice({ subtotal: 936, tax: 85, lines: PENDING }));
    expect(final.createdAt.toISOString()).toBe(P_END);
    expect(invoiceMoney(final)).toEqual(draftMoney(upcoming.invoice));
    expect((await paymentsOfInvoice(final.id)).map((p) => [p.status, p.amount])).toEqual([["succeeded", 936]]);
    const sub = await subscriptionRow(subscription.id);
    expect(sub.status).toBe("canceled");
    expect(sub.endedAt?.toISOString()).toBe(P_END);
  }));

  it("paused and auto-canceled 90 days later: the final invoice takes the 936 out of the pause credit, 105 stays", inBothApplyModes(async () => {
    const { ctx, customerId, advance, subscription } = await upgradedWithPendingProrations();
    // The pause credits the unused Pro time, 1041 (see above).
    const { credited } = await pauseSubscription(ctx, subscription.id, { resumesAt: null });
    expect(credited).toBe(1041);

    // 90 days after 20 Jun 14:30 AEST: 18 Sep 14:30 AEST (2027-09-18T04:30Z).
    await advance("2027-09-19T00:00:00Z");
    const invoices = await invoicesOf(subscription.id);
    expect(invoices).toHaveLength(2);
    expect(invoiceView(invoices[1]!)).toEqual(finalInvoice({ subtotal: 936, tax: 85, creditApplied: 936, lines: PENDING }));
    expect(invoices[1]!.createdAt.toISOString()).toBe("2027-09-18T04:30:00.000Z");
    expect(await paymentsOfInvoice(invoices[1]!.id)).toEqual([]);
    expect(await balanceOf(customerId)).toBe(105);
    expect((await subscriptionRow(subscription.id)).status).toBe("canceled");
  }));
});
