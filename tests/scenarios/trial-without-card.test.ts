import { describe, expect, it } from "vitest";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { clockCustomer, invoiceView, invoicesOf, paymentsOfInvoice, statusHistory, subscriptionRow } from "./support";
import { inBothApplyModes } from "./apply-modes";
import { makePlan } from "../factories";

/**
 * A 14-day trial without a payment method (Sydney, AEST):
 * - 1 Jun 2027 09:00 AEST (2027-05-31T23:00Z) trialing, no invoice;
 * - 15 Jun 09:00 AEST (2027-06-14T23:00Z) the trial ends: the first invoice (A$29.00, 264 GST) is
 *   finalized and left open — there is nothing to charge — and the subscription is `incomplete`;
 * - 23 hours later (2027-06-15T22:00Z) it is `incomplete_expired` and the invoice is void, keeping
 *   its number (numbers are gap-free).
 */
describe("scenario: trial without a card", () => {
  it("ends incomplete with an open invoice, then expires 23 hours later and voids it", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(new Date("2027-05-31T23:00:00Z"), { token: null });
    const { priceId } = await makePlan(ctx.db, { code: "pro", name: "Pro", unitAmount: 2900, trialDays: 14 });
    const { subscription, invoice } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }] });
    expect(subscription.status).toBe("trialing");
    expect(invoice).toBeNull();

    await advance("2027-06-14T23:30:00Z");
    let invoices = await invoicesOf(subscription.id);
    const expected = {
      billingReason: "subscription_cycle",
      status: "open",
      periodStart: "2027-06-14T23:00:00.000Z",
      periodEnd: "2027-07-14T23:00:00.000Z",
      subtotal: 2900,
      discountTotal: 0,
      tax: 264,
      total: 2900,
      creditApplied: 0,
      amountDue: 2900,
      amountPaid: 0,
      lines: [{ description: "Pro", amount: 2900, quantity: 1, proration: false, periodStart: "2027-06-14T23:00:00.000Z", periodEnd: "2027-07-14T23:00:00.000Z", tax: 264 }],
    };
    expect(invoices.map(invoiceView)).toEqual([expected]);
    const number = invoices[0]!.number;
    expect(number).toMatch(/^TLY-\d{6}$/);
    expect(invoices[0]!.amountRemaining).toBe(2900);
    expect(await paymentsOfInvoice(invoices[0]!.id)).toEqual([]);
    let sub = await subscriptionRow(subscription.id);
    expect(sub.status).toBe("incomplete");
    expect(sub.latestInvoiceId).toBe(invoices[0]!.id);

    // 22 hours 59 minutes after the trial end: still incomplete.
    await advance("2027-06-15T21:59:00Z");
    expect((await subscriptionRow(subscription.id)).status).toBe("incomplete");

    await advance("2027-06-15T22:00:00Z");
    sub = await subscriptionRow(subscription.id);
    expect(sub.status).toBe("incomplete_expired");
    expect(sub.endedAt?.toISOString()).toBe("2027-06-15T22:00:00.000Z");
    expect(sub.nextDueAt).toBeNull();
    invoices = await invoicesOf(subscription.id);
    expect(invoices.map(invoiceView)).toEqual([{ ...expected, status: "void" }]);
    expect(invoices[0]!.number).toBe(number);
    expect(invoices[0]!.voidedAt?.toISOString()).toBe("2027-06-15T22:00:00.000Z");
    expect(invoices[0]!.amountRemaining).toBe(0);
    expect(await statusHistory(subscription.id)).toEqual(["∅→trialing", "trialing→incomplete", "incomplete→incomplete_expired"]);

    // Nothing happens afterwards.
    await advance("2027-09-01T00:00:00Z");
    expect(await invoicesOf(subscription.id)).toHaveLength(1);
  }));
});
