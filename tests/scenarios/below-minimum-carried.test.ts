import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { outboxEvents, sandboxCharges } from "@/db/schema";
import { grantCredit } from "@/lib/services/balance/grant-credit";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { processDueSubscription } from "@/lib/services/subscriptions/process-due";
import { upcomingInvoice } from "@/lib/services/subscriptions/preview";
import { balanceLedger, balanceOf, clockCustomer, draftMoney, invoiceMoney, invoicesOf, paymentsOfInvoice, subscriptionRow } from "./support";
import { inBothApplyModes } from "./apply-modes";
import { makePlan } from "../factories";

/**
 * An amount due below Stripe's minimum charge (A$0.50) is never sent to the card: the invoice is
 * paid at finalization by carrying the amount to the customer's balance as a debit, which the next
 * invoice collects (Stripe Billing's rule). Sydney (AEST), GST-inclusive prices, monthly from 1 Jun 2027.
 *
 * A$0.30 a month (GST 3):
 *   1 Jun  total 30, due 30 < 50: carried, paid without a charge       balance   0 → −30
 *   1 Jul  total 30 + 30 carried = 60 due ≥ 50: charged 60             balance −30 →   0
 * A$0.20 a month (GST 2) — still below the minimum with the carried amount, so it is carried again:
 *   1 Jun  due 20: carried                                              balance   0 → −20
 *   1 Jul  20 + 20 = 40 due: collects the −20, carries 40               balance −20 →   0 → −40
 *   1 Aug  20 + 40 = 60 due: charged 60                                 balance −40 →   0
 * A$0.30 with A$0.25 of credit: the credit pays 25, the remaining 5 is carried; 1 Jul 30 + 5 = 35 is
 * carried again; 1 Aug 30 + 35 = 65 is charged.
 * (Tally's balance is positive in the customer's favour: a debit is negative.)
 */
const START = new Date("2027-05-31T23:00:00Z");
const B = ["2027-05-31T23:00:00.000Z", "2027-06-30T23:00:00.000Z", "2027-07-31T23:00:00.000Z", "2027-08-31T23:00:00.000Z"];

/** What a person checks on each invoice: its money and how it was settled. */
const settled = (inv: Awaited<ReturnType<typeof invoicesOf>>[number]) => ({
  status: inv.status,
  total: inv.total,
  tax: inv.tax,
  creditApplied: inv.creditApplied,
  debitApplied: inv.debitApplied,
  amountDue: inv.amountDue,
  amountPaid: inv.amountPaid,
  amountRemaining: inv.amountRemaining,
  carriedToBalance: inv.carriedToBalance,
  paidAt: inv.paidAt?.toISOString() ?? null,
});

async function chargesOf(ctx: { db: Awaited<ReturnType<typeof clockCustomer>>["ctx"]["db"] }, invoiceId: string) {
  const payments = await paymentsOfInvoice(invoiceId);
  const charges = await Promise.all(payments.map(async (p) => (await ctx.db.select().from(sandboxCharges).where(eq(sandboxCharges.idempotencyKey, p.idempotencyKey))).length));
  return { payments: payments.map((p) => [p.status, p.amount]), gatewayCharges: charges.reduce((a, b) => a + b, 0) };
}

describe("scenario: an amount due below the currency's minimum charge", () => {
  it("A$0.30: carried to the balance without a charge, collected by the next invoice, once however often the due work runs", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(START);
    const { priceId } = await makePlan(ctx.db, { code: "addon", name: "Add-on", unitAmount: 30 });
    const { subscription, invoice } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }] });

    expect(invoice).toMatchObject({ status: "paid", amountDue: 30, amountPaid: 0, amountRemaining: 0, carriedToBalance: 30 });
    expect(subscription.status).toBe("active");
    expect(await chargesOf(ctx, invoice!.id)).toEqual({ payments: [], gatewayCharges: 0 });
    expect(await balanceOf(customerId)).toBe(-30);
    const paidEvents = await ctx.db.select().from(outboxEvents).where(eq(outboxEvents.entityId, invoice!.id));
    expect(paidEvents.map((e) => e.type).sort()).toEqual(["invoice.finalized", "invoice.paid"]);

    // The upcoming invoice shows the carried amount it will collect: the preview is the invoice.
    const upcoming = await upcomingInvoice(ctx, subscription.id);
    expect(upcoming.invoice).toMatchObject({ total: 30, creditApplied: 0, debitApplied: 30, amountDue: 60 });

    await advance("2027-07-02T00:00:00Z");
    // The due work again, at the same instant: nothing more is carried or collected.
    await processDueSubscription({ ...ctx, now: new Date("2027-07-02T00:00:00Z") }, subscription.id);
    await processDueSubscription({ ...ctx, now: new Date("2027-07-02T00:00:00Z") }, subscription.id);

    const invoices = await invoicesOf(subscription.id);
    expect(invoices.map(settled)).toEqual([
      { status: "paid", total: 30, tax: 3, creditApplied: 0, debitApplied: 0, amountDue: 30, amountPaid: 0, amountRemaining: 0, carriedToBalance: 30, paidAt: B[0] },
      { status: "paid", total: 30, tax: 3, creditApplied: 0, debitApplied: 30, amountDue: 60, amountPaid: 60, amountRemaining: 0, carriedToBalance: 0, paidAt: B[1] },
    ]);
    expect(draftMoney(upcoming.invoice)).toEqual(invoiceMoney(invoices[1]!));
    expect(await chargesOf(ctx, invoices[1]!.id)).toEqual({ payments: [["succeeded", 60]], gatewayCharges: 1 });
    expect((await balanceLedger(customerId)).map((t) => [t.type, t.amount, t.endingBalance, t.invoiceId])).toEqual([
      ["invoice_too_small", -30, -30, invoices[0]!.id],
      ["applied_to_invoice", 30, 0, invoices[1]!.id],
    ]);
    expect(await balanceOf(customerId)).toBe(0);
    expect((await subscriptionRow(subscription.id)).status).toBe("active");
  }));

  it("A$0.20: still below the minimum with the carried amount, so carried again; charged once it reaches A$0.50", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(START);
    const { priceId } = await makePlan(ctx.db, { code: "tiny", name: "Tiny", unitAmount: 20 });
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }] });
    await advance("2027-08-02T00:00:00Z");

    const invoices = await invoicesOf(subscription.id);
    expect(invoices.map(settled)).toEqual([
      { status: "paid", total: 20, tax: 2, creditApplied: 0, debitApplied: 0, amountDue: 20, amountPaid: 0, amountRemaining: 0, carriedToBalance: 20, paidAt: B[0] },
      { status: "paid", total: 20, tax: 2, creditApplied: 0, debitApplied: 20, amountDue: 40, amountPaid: 0, amountRemaining: 0, carriedToBalance: 40, paidAt: B[1] },
      { status: "paid", total: 20, tax: 2, creditApplied: 0, debitApplied: 40, amountDue: 60, amountPaid: 60, amountRemaining: 0, carriedToBalance: 0, paidAt: B[2] },
    ]);
    expect(await Promise.all(invoices.map((inv) => chargesOf(ctx, inv.id)))).toEqual([
      { payments: [], gatewayCharges: 0 },
      { payments: [], gatewayCharges: 0 },
      { payments: [["succeeded", 60]], gatewayCharges: 1 },
    ]);
    expect((await balanceLedger(customerId)).map((t) => [t.type, t.amount, t.endingBalance])).toEqual([
      ["invoice_too_small", -20, -20],
      ["applied_to_invoice", 20, 0],
      ["invoice_too_small", -40, -40],
      ["applied_to_invoice", 40, 0],
    ]);
  }));

  it("A$0.30 with A$0.25 of credit: the credit pays what it can, the A$0.05 left is carried", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(START);
    await grantCredit(ctx, { customerId, amount: 25, currency: "aud", reason: "Goodwill" });
    const { priceId } = await makePlan(ctx.db, { code: "addon", name: "Add-on", unitAmount: 30 });
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }] });
    await advance("2027-08-02T00:00:00Z");

    const invoices = await invoicesOf(subscription.id);
    expect(invoices.map(settled)).toEqual([
      { status: "paid", total: 30, tax: 3, creditApplied: 25, debitApplied: 0, amountDue: 5, amountPaid: 0, amountRemaining: 0, carriedToBalance: 5, paidAt: B[0] },
      { status: "paid", total: 30, tax: 3, creditApplied: 0, debitApplied: 5, amountDue: 35, amountPaid: 0, amountRemaining: 0, carriedToBalance: 35, paidAt: B[1] },
      { status: "paid", total: 30, tax: 3, creditApplied: 0, debitApplied: 35, amountDue: 65, amountPaid: 65, amountRemaining: 0, carriedToBalance: 0, paidAt: B[2] },
    ]);
    expect((await balanceLedger(customerId)).map((t) => [t.type, t.amount, t.endingBalance])).toEqual([
      ["credit_grant", 25, 25],
      ["applied_to_invoice", -25, 0],
      ["invoice_too_small", -5, -5],
      ["applied_to_invoice", 5, 0],
      ["invoice_too_small", -35, -35],
      ["applied_to_invoice", 35, 0],
    ]);
  }));
});
