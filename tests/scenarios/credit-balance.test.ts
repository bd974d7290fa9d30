import { describe, expect, it } from "vitest";
import { recordBalanceTransaction } from "@/lib/services/balance/record-balance-transaction";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { upcomingInvoice } from "@/lib/services/subscriptions/preview";
import { balanceLedger, balanceOf, clockCustomer, customerRow, draftMoney, invoiceMoney, invoiceView, invoicesOf, paymentsOfInvoice } from "./support";
import { inBothApplyModes } from "./apply-modes";
import { makePlan } from "../factories";

/**
 * A$10.00 a month (91 GST), Sydney (AEST). After the first (paid) invoice the customer is granted
 * A$25.00 of credit. The renewals on 1 Jul, 1 Aug and 1 Sep 2027:
 *   1 Jul  1000 from the balance, 0 due, paid without a charge   balance 2500 → 1500
 *   1 Aug  1000 from the balance, 0 due, paid without a charge   balance 1500 →  500
 *   1 Sep   500 from the balance, 500 charged to the card        balance  500 →    0
 * Credit is a payment method, not a discount: subtotal, GST and total stay 1000 / 91 / 1000.
 */
const START = new Date("2027-05-31T23:00:00Z");
const BOUNDARIES = ["2027-05-31T23:00:00.000Z", "2027-06-30T23:00:00.000Z", "2027-07-31T23:00:00.000Z", "2027-08-31T23:00:00.000Z", "2027-09-30T23:00:00.000Z"];

describe("scenario: a credit balance larger than an invoice", () => {
  it("pays two renewals in full and half of the third; only the remainder is charged", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(START);
    const { priceId } = await makePlan(ctx.db, { code: "starter", name: "Starter", unitAmount: 1000 });
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }] });

    const customer = await customerRow(customerId);
    await ctx.db.transaction(async (tx) => {
      await recordBalanceTransaction(tx, customer, { amount: 2500, type: "credit_grant", description: "Goodwill credit" }, START);
    });
    expect(await balanceOf(customerId)).toBe(2500);
    const upcoming = await upcomingInvoice(ctx, subscription.id);
    expect(upcoming.invoice).toMatchObject({ total: 1000, creditApplied: 1000, amountDue: 0 });

    await advance("2027-07-02T00:00:00Z");
    expect(await balanceOf(customerId)).toBe(1500);
    await advance("2027-08-02T00:00:00Z");
    expect(await balanceOf(customerId)).toBe(500);
    await advance("2027-09-02T00:00:00Z");
    expect(await balanceOf(customerId)).toBe(0);

    const invoices = await invoicesOf(subscription.id);
    const starter = (i: number, creditApplied: number) => ({
      billingReason: i === 0 ? "subscription_create" : "subscription_cycle",
      status: "paid",
      periodStart: BOUNDARIES[i],
      periodEnd: BOUNDARIES[i + 1],
      subtotal: 1000,
      discountTotal: 0,
      tax: 91,
      total: 1000,
      creditApplied,
      amountDue: 1000 - creditApplied,
      amountPaid: 1000 - creditApplied,
      lines: [{ description: "Starter", amount: 1000, quantity: 1, proration: false, periodStart: BOUNDARIES[i], periodEnd: BOUNDARIES[i + 1], tax: 91 }],
    });
    expect(invoices.map(invoiceView)).toEqual([starter(0, 0), starter(1, 1000), starter(2, 1000), starter(3, 500)]);
    expect(draftMoney(upcoming.invoice)).toEqual(invoiceMoney(invoices[1]!));

    // Zero amount due: paid at finalization, no payment row, no gateway call.
    const payments = await Promise.all(invoices.map(async (inv) => (await paymentsOfInvoice(inv.id)).map((p) => [p.status, p.amount])));
    expect(payments).toEqual([[["succeeded", 1000]], [], [], [["succeeded", 500]]]);
    expect(invoices[1]!.paidAt?.toISOString()).toBe(BOUNDARIES[1]);
    expect(invoices[2]!.paidAt?.toISOString()).toBe(BOUNDARIES[2]);

    expect((await balanceLedger(customerId)).map((t) => [t.type, t.amount, t.endingBalance])).toEqual([
      ["credit_grant", 2500, 2500],
      ["applied_to_invoice", -1000, 1500],
      ["applied_to_invoice", -1000, 500],
      ["applied_to_invoice", -500, 0],
    ]);
  }));
});
