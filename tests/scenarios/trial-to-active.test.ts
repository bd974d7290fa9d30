import { describe, expect, it } from "vitest";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { upcomingInvoice } from "@/lib/services/subscriptions/preview";
import { clockCustomer, draftMoney, invoiceMoney, invoiceView, invoicesOf, paymentsOfInvoice, statusHistory, subscriptionRow } from "./support";
import { inBothApplyModes } from "./apply-modes";
import { makePlan } from "../factories";

/**
 * A 14-day trial with a card on file (Sydney, AEST = UTC+10 in June):
 * - signed up 1 Jun 2027 09:00 AEST (2027-05-31T23:00Z): trialing, no invoice (Tally issues none
 *   for a trial; Stripe would issue a A$0.00 one);
 * - trial ends 15 Jun 09:00 AEST (2027-06-14T23:00Z): the first invoice, for a full month
 *   15 Jun → 15 Jul (the anchor moves to the trial end), charged; trialing → active;
 * - the upcoming invoice seen during the trial is exactly that invoice (R10).
 */
describe("scenario: 14-day trial with a card, then active", () => {
  it("bills nothing during the trial and a full period at its end, exactly as previewed", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(new Date("2027-05-31T23:00:00Z"));
    const { priceId } = await makePlan(ctx.db, { code: "pro", name: "Pro", unitAmount: 2900, trialDays: 14 });
    const { subscription, invoice } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }] });
    expect(invoice).toBeNull();
    expect(subscription.status).toBe("trialing");
    expect(subscription.trialEnd?.toISOString()).toBe("2027-06-14T23:00:00.000Z");

    // A week into the trial: still nothing billed; the preview shows the trial-end invoice.
    await advance("2027-06-07T23:00:00Z");
    expect(await invoicesOf(subscription.id)).toHaveLength(0);
    const upcoming = await upcomingInvoice(ctx, subscription.id);
    expect(upcoming.date.toISOString()).toBe("2027-06-14T23:00:00.000Z");
    expect(upcoming.billingReason).toBe("subscription_cycle");
    expect(upcoming.period).toEqual({ start: new Date("2027-06-14T23:00:00Z"), end: new Date("2027-07-14T23:00:00Z") });

    // One hour before the trial ends: still nothing.
    await advance("2027-06-14T22:00:00Z");
    expect(await invoicesOf(subscription.id)).toHaveLength(0);
    expect((await subscriptionRow(subscription.id)).status).toBe("trialing");

    await advance("2027-06-16T00:00:00Z");
    const invoices = await invoicesOf(subscription.id);
    // A$29.00 inclusive: GST 2900 / 11 = 263.6 → 264.
    expect(invoices.map(invoiceView)).toEqual([
      {
        billingReason: "subscription_cycle",
        status: "paid",
        periodStart: "2027-06-14T23:00:00.000Z",
        periodEnd: "2027-07-14T23:00:00.000Z",
        subtotal: 2900,
        discountTotal: 0,
        tax: 264,
        total: 2900,
        creditApplied: 0,
        amountDue: 2900,
        amountPaid: 2900,
        lines: [{ description: "Pro", amount: 2900, quantity: 1, proration: false, periodStart: "2027-06-14T23:00:00.000Z", periodEnd: "2027-07-14T23:00:00.000Z", tax: 264 }],
      },
    ]);
    const first = invoices[0]!;
    expect(first.createdAt.toISOString()).toBe("2027-06-14T23:00:00.000Z");
    // R10: lines and totals exactly as previewed a week earlier.
    expect(invoiceMoney(first)).toEqual(draftMoney(upcoming.invoice));
    expect({ start: first.periodStart, end: first.periodEnd }).toEqual(upcoming.period);

    const payments = await paymentsOfInvoice(first.id);
    expect(payments.map((p) => [p.status, p.amount])).toEqual([["succeeded", 2900]]);

    const sub = await subscriptionRow(subscription.id);
    expect(sub.status).toBe("active");
    expect(sub.billingCycleAnchor.toISOString()).toBe("2027-06-14T23:00:00.000Z");
    expect(sub.currentPeriodEnd.toISOString()).toBe("2027-07-14T23:00:00.000Z");
    expect(await statusHistory(subscription.id)).toEqual(["∅→trialing", "trialing→active"]);

    // The next renewal is the ordinary monthly one on the 15th.
    await advance("2027-07-16T00:00:00Z");
    const after = await invoicesOf(subscription.id);
    expect(after).toHaveLength(2);
    expect(invoiceView(after[1]!)).toMatchObject({ billingReason: "subscription_cycle", status: "paid", periodStart: "2027-07-14T23:00:00.000Z", periodEnd: "2027-08-14T23:00:00.000Z", total: 2900, tax: 264, amountDue: 2900 });
  }));
});
