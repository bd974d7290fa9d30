import { describe, expect, it } from "vitest";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { previewSubscriptionUpdate } from "@/lib/services/subscriptions/preview";
import { updateSubscription, type UpdateSubscriptionInput } from "@/lib/services/subscriptions/update-subscription";
import { clockCustomer, draftMoney, invoiceMoney, invoiceView, invoicesOf, paymentsOfInvoice, pendingItemsOf, pricedLine, subscriptionRow } from "./support";
import { inBothApplyModes } from "./apply-modes";
import { makePlan } from "../factories";

/**
 * Starter (A$10.00/month) → Pro (A$29.00/month), both GST-inclusive, a little after half-way
 * through a 30-day month. Sydney is on AEST (UTC+10) all of June and July 2027.
 *
 *   period   1 Jun 2027 09:00 AEST (2027-05-31T23:00Z) → 1 Jul 09:00 AEST (2027-06-30T23:00Z)
 *            = 30 days = 2 592 000 s
 *   change   16 Jun 2027 14:30 AEST (2027-06-16T04:30Z)
 *   left     14 days 18 h 30 min = 1 209 600 + 66 600 = 1 276 200 s
 *
 * By the second, like Stripe, rounded once per line half away from zero:
 *   credit  −1000 × 1 276 200 / 2 592 000 = −492.36 → −492   GST −492 / 11 = −44.73 → −45
 *   charge  +2900 × 1 276 200 / 2 592 000 = 1427.85 → +1428   GST 1428 / 11 = 129.82 → 130
 *   net     936, GST 85
 * Renewal 1 Jul → 1 Aug (2027-07-31T23:00Z): Pro 2900, GST 2900 / 11 = 263.6 → 264.
 */
const START = new Date("2027-05-31T23:00:00Z");
const CHANGE_AT = "2027-06-16T04:30:00Z";
const P1_END = "2027-06-30T23:00:00.000Z";
const P2_END = "2027-07-31T23:00:00.000Z";

const CREDIT = { description: "Unused time on Starter after 16 June 2027", amount: -492, quantity: 1, proration: true, periodStart: "2027-06-16T04:30:00.000Z", periodEnd: P1_END, tax: -45 };
const CHARGE = { description: "Remaining time on Pro after 16 June 2027", amount: 1428, quantity: 1, proration: true, periodStart: "2027-06-16T04:30:00.000Z", periodEnd: P1_END, tax: 130 };
const PRO_JULY = { description: "Pro", amount: 2900, quantity: 1, proration: false, periodStart: P1_END, periodEnd: P2_END, tax: 264 };
const STARTER_JUNE = { description: "Starter", amount: 1000, quantity: 1, proration: false, periodStart: START.toISOString(), periodEnd: P1_END, tax: 91 };

const money = (o: { subtotal: number; tax: number; creditApplied?: number; status?: string }) => {
  const creditApplied = o.creditApplied ?? 0;
  return { discountTotal: 0, total: o.subtotal, creditApplied, amountDue: o.subtotal - creditApplied, amountPaid: o.subtotal - creditApplied, status: o.status ?? "paid", subtotal: o.subtotal, tax: o.tax };
};

async function starterSubscription() {
  const clock = await clockCustomer(START);
  const starter = await makePlan(clock.ctx.db, { code: "starter", name: "Starter", unitAmount: 1000 });
  const pro = await makePlan(clock.ctx.db, { code: "pro", name: "Pro", unitAmount: 2900 });
  const { subscription } = await createSubscription(clock.ctx, { customerId: clock.customerId, items: [{ priceId: starter.priceId, quantity: 1 }] });
  expect(subscription.status).toBe("active");
  await clock.advance(CHANGE_AT);
  return { ...clock, starter, pro, subscription };
}

describe("scenario: mid-cycle upgrade Starter → Pro", () => {
  it("always_invoice: an immediate invoice for −492 / +1428, then a plain A$29.00 renewal; the preview is the invoice", inBothApplyModes(async () => {
    const { ctx, advance, pro, subscription } = await starterSubscription();
    const input: UpdateSubscriptionInput = { items: [{ priceId: pro.priceId, quantity: 1 }], prorationBehavior: "always_invoice", effective: "now" };

    const preview = await previewSubscriptionUpdate(ctx, subscription.id, input);
    const { invoice, subscription: updated } = await updateSubscription(ctx, subscription.id, input);
    expect(updated.status).toBe("active");
    expect(invoice?.status).toBe("paid");

    // R10 for changes: the preview's lines and amount due now are exactly what the change created.
    const invoices = await invoicesOf(subscription.id);
    const created = invoices[1]!;
    expect(created.id).toBe(invoice?.id);
    expect(preview.lines.map(pricedLine)).toEqual(created.lines.map(pricedLine));
    expect(preview.invoiceNow && draftMoney(preview.invoiceNow)).toEqual(invoiceMoney(created));
    expect(preview.amountDueNow).toBe(936);
    expect(created.amountDue).toBe(preview.amountDueNow);

    expect(invoiceView(created)).toEqual({ billingReason: "subscription_update", periodStart: "2027-06-16T04:30:00.000Z", periodEnd: P1_END, ...money({ subtotal: 936, tax: 85 }), lines: [CREDIT, CHARGE] });
    expect((await paymentsOfInvoice(created.id)).map((p) => [p.status, p.amount])).toEqual([["succeeded", 936]]);
    expect(await pendingItemsOf(subscription.id)).toEqual([]);
    // The period does not move: an upgrade within the same interval keeps the anchor.
    const sub = await subscriptionRow(subscription.id);
    expect(sub.currentPeriodEnd.toISOString()).toBe(P1_END);

    await advance("2027-07-02T00:00:00Z");
    const all = await invoicesOf(subscription.id);
    expect(all.map(invoiceView)).toEqual([
      { billingReason: "subscription_create", periodStart: START.toISOString(), periodEnd: P1_END, ...money({ subtotal: 1000, tax: 91 }), lines: [STARTER_JUNE] },
      { billingReason: "subscription_update", periodStart: "2027-06-16T04:30:00.000Z", periodEnd: P1_END, ...money({ subtotal: 936, tax: 85 }), lines: [CREDIT, CHARGE] },
      { billingReason: "subscription_cycle", periodStart: P1_END, periodEnd: P2_END, ...money({ subtotal: 2900, tax: 264 }), lines: [PRO_JULY] },
    ]);
    // …and the renewal is what the change preview promised for "then $Y on date".
    expect(preview.next?.date.toISOString()).toBe(P1_END);
    expect(preview.next && draftMoney(preview.next.invoice)).toEqual(invoiceMoney(all[2]!));
  }));

  it("create_prorations: no invoice now; the −492 / +1428 lines ride on the 1 Jul renewal with the A$29.00 period line", inBothApplyModes(async () => {
    const { ctx, advance, pro, subscription } = await starterSubscription();
    const input: UpdateSubscriptionInput = { items: [{ priceId: pro.priceId, quantity: 1 }], prorationBehavior: "create_prorations", effective: "now" };

    const preview = await previewSubscriptionUpdate(ctx, subscription.id, input);
    const { invoice } = await updateSubscription(ctx, subscription.id, input);
    expect(invoice).toBeNull();
    expect(preview.invoiceNow).toBeNull();
    expect(preview.amountDueNow).toBe(0);
    // The preview's lines are exactly the pending items the change stored.
    const pending = await pendingItemsOf(subscription.id, { open: true });
    expect(preview.lines.map(pricedLine)).toEqual(pending.map(pricedLine));
    expect(pending.map((p) => [p.description, p.amount])).toEqual([
      [CREDIT.description, -492],
      [CHARGE.description, 1428],
    ]);
    expect(await invoicesOf(subscription.id)).toHaveLength(1);

    await advance("2027-07-02T00:00:00Z");
    const all = await invoicesOf(subscription.id);
    // 2900 − 492 + 1428 = 3836; GST 264 − 45 + 130 = 349.
    expect(all.map(invoiceView)).toEqual([
      { billingReason: "subscription_create", periodStart: START.toISOString(), periodEnd: P1_END, ...money({ subtotal: 1000, tax: 91 }), lines: [STARTER_JUNE] },
      { billingReason: "subscription_cycle", periodStart: P1_END, periodEnd: P2_END, ...money({ subtotal: 3836, tax: 349 }), lines: [PRO_JULY, CREDIT, CHARGE] },
    ]);
    expect((await paymentsOfInvoice(all[1]!.id)).map((p) => [p.status, p.amount])).toEqual([["succeeded", 3836]]);
    // The pending items now point at the renewal and are not billed again.
    expect((await pendingItemsOf(subscription.id)).map((p) => p.invoiceId)).toEqual([all[1]!.id, all[1]!.id]);
    expect(preview.next && draftMoney(preview.next.invoice)).toEqual(invoiceMoney(all[1]!));

    await advance("2027-08-02T00:00:00Z");
    const august = (await invoicesOf(subscription.id))[2]!;
    expect(invoiceView(august)).toEqual({
      billingReason: "subscription_cycle",
      periodStart: P2_END,
      periodEnd: "2027-08-31T23:00:00.000Z",
      ...money({ subtotal: 2900, tax: 264 }),
      lines: [{ ...PRO_JULY, periodStart: P2_END, periodEnd: "2027-08-31T23:00:00.000Z" }],
    });
  }));

  it("none: Pro from now, no proration lines anywhere, A$29.00 from the renewal", inBothApplyModes(async () => {
    const { ctx, advance, pro, subscription } = await starterSubscription();
    const input: UpdateSubscriptionInput = { items: [{ priceId: pro.priceId, quantity: 1 }], prorationBehavior: "none", effective: "now" };

    const preview = await previewSubscriptionUpdate(ctx, subscription.id, input);
    expect(preview.lines).toEqual([]);
    expect(preview.invoiceNow).toBeNull();
    expect(preview.amountDueNow).toBe(0);
    const { invoice } = await updateSubscription(ctx, subscription.id, input);
    expect(invoice).toBeNull();
    expect(await pendingItemsOf(subscription.id)).toEqual([]);

    await advance("2027-07-02T00:00:00Z");
    const all = await invoicesOf(subscription.id);
    expect(all.map(invoiceView)).toEqual([
      { billingReason: "subscription_create", periodStart: START.toISOString(), periodEnd: P1_END, ...money({ subtotal: 1000, tax: 91 }), lines: [STARTER_JUNE] },
      { billingReason: "subscription_cycle", periodStart: P1_END, periodEnd: P2_END, ...money({ subtotal: 2900, tax: 264 }), lines: [PRO_JULY] },
    ]);
    expect(all.flatMap((i) => i.lines).some((l) => l.proration)).toBe(false);
    expect(preview.next && draftMoney(preview.next.invoice)).toEqual(invoiceMoney(all[1]!));
  }));
});
