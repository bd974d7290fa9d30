import { customerRow } from "@/tests/factories";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CustomerRow } from "@/db/queries/customers";
import { systemActor } from "@/lib/actor";
import type { LineInput } from "@/lib/billing/types";
import type { IdKind, IdSource } from "@/lib/ids";
import { isBelowMinimumCharge } from "@/lib/payments/charge-minimums";
import { planIssue, previewInvoice, type IssueInvoiceInput } from "./plan-invoice";

/**
 * The invoice plan (pure) is the engine's invoice: its totals are buildInvoice's for the customer as
 * locked, the credit it applies never exceeds the customer's credit nor the total, the ledger rows
 * it plans chain from the customer's balance to the balance it leaves, and the invoice ends paid
 * (nothing due, or an amount below the minimum charge carried to the balance) or open for the whole
 * amount due.
 */

const AT = new Date("2026-10-15T00:00:00Z");
const env = { actor: systemActor("test") };

function counter(): IdSource {
  let n = 0;
  return { newId: (kind: IdKind) => `${kind}_${n++}`, token: () => `tok_${n++}` };
}

const lineArb = fc.record({
  amount: fc.oneof(fc.integer({ min: -60_000, max: 250_000 }), fc.integer({ min: -100, max: 100 })),
  taxBehavior: fc.constantFrom<"inclusive" | "exclusive">("inclusive", "exclusive"),
  proration: fc.boolean(),
});

const caseArb = fc.record({
  lines: fc.array(lineArb, { maxLength: 4 }),
  currency: fc.constantFrom("aud", "jpy", "usd", "bhd"),
  country: fc.constantFrom("AU", "NZ", ""),
  creditBalance: fc.oneof(fc.constant(0), fc.integer({ min: -5_000, max: 300_000 }), fc.integer({ min: -60, max: 60 })),
  collection: fc.constantFrom<"charge_automatically" | "send_invoice">("charge_automatically", "send_invoice"),
  billingReason: fc.constantFrom<IssueInvoiceInput["billingReason"]>("subscription_cycle", "subscription_create", "subscription_update", "manual"),
  withSubscription: fc.boolean(),
  pendingItems: fc.nat({ max: 3 }),
  draft: fc.boolean(),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function customerOf(c: Case): CustomerRow {
  return customerRow({ id: "cus_1", createdAt: AT, currency: c.currency, address: { country: c.country }, creditBalance: c.creditBalance });
}

function inputOf(c: Case, customer: CustomerRow): IssueInvoiceInput {
  const lines: LineInput[] = c.lines.map((l, k) => ({
    description: `Line ${k}`,
    amount: l.amount,
    quantity: 1,
    unitAmount: l.amount,
    periodStart: null,
    periodEnd: null,
    proration: l.proration,
    priceId: null,
    planId: null,
    taxBehavior: l.taxBehavior,
  }));
  return {
    customer,
    subscription: c.withSubscription ? { id: "sub_1", collectionMethod: c.collection, daysUntilDue: c.collection === "send_invoice" ? 14 : null } : null,
    billingReason: c.billingReason,
    period: null,
    lines,
    discount: null,
    consumesPendingItems: c.pendingItems > 0,
    at: AT,
    draft: c.draft,
    collection: { method: c.collection, daysUntilDue: c.collection === "send_invoice" ? 30 : null },
  };
}

describe("the invoice plan (planIssue)", () => {
  it("is buildInvoice's invoice; applies no more credit than there is; chains the ledger; ends paid or open for the amount due", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const customer = customerOf(c);
        const input = inputOf(c, customer);
        const pendingIds = Array.from({ length: c.pendingItems }, (_, k) => `ii_${k}`);
        const plan = planIssue(input, customer, pendingIds, env, counter());
        const built = previewInvoice(customer, customer.currency, input.lines, null, AT);

        // The engine's totals, as written on the draft.
        const { invoice } = plan;
        expect([invoice.subtotal, invoice.discountTotal, invoice.tax, invoice.total, invoice.creditApplied, invoice.debitApplied, invoice.amountDue, invoice.excessCredited]).toEqual([
          built.subtotal,
          built.discountTotal,
          built.tax,
          built.total,
          built.creditApplied,
          built.debitApplied,
          built.amountDue,
          built.excessCredit,
        ]);
        expect(plan.lines.map((l) => l.amount)).toEqual(built.lines.map((l) => l.amount));
        expect(plan.lines.every((l) => l.invoiceId === invoice.id)).toBe(true);
        // Pending items are consumed only by a subscription's invoice.
        expect(plan.pendingItems).toEqual(c.withSubscription ? pendingIds.map((id) => ({ id, invoiceId: invoice.id })) : []);

        const f = plan.finalization;
        if (c.draft) {
          expect(f).toBeNull();
          return;
        }
        if (!f) throw new Error("a finalized invoice has a finalization");
        const creditApplied = f.invoice.creditApplied ?? 0;
        // Credit applied never exceeds the customer's credit, nor the total.
        expect(creditApplied).toBeGreaterThanOrEqual(0);
        expect(creditApplied).toBeLessThanOrEqual(Math.max(0, c.creditBalance));
        expect(creditApplied).toBeLessThanOrEqual(invoice.total ?? 0);
        expect(creditApplied).toBe(built.creditApplied);
        expect(f.invoice.amountDue).toBe(built.amountDue);

        // The ledger chains from the balance as locked to the balance left.
        let balance = c.creditBalance;
        for (const row of f.moves.rows) {
          balance += row.amount;
          expect(row.endingBalance).toBe(balance);
          expect(row.currency).toBe(c.currency);
          expect(row.invoiceId).toBe(invoice.id);
        }
        expect(f.moves.endingBalance).toBe(balance);
        expect(f.moves.rows.filter((r) => r.type === "applied_to_invoice" && r.amount < 0).reduce((s, r) => s - r.amount, 0)).toBe(creditApplied);

        // Paid at once (nothing due, or carried below the minimum charge), or open for the whole amount due.
        const amountDue = built.amountDue;
        const carried = isBelowMinimumCharge(amountDue, c.currency);
        if (amountDue === 0 || carried) {
          expect(f.invoice.status).toBe("paid");
          expect(f.invoice.amountRemaining).toBe(0);
          expect(f.invoice.carriedToBalance ?? 0).toBe(carried ? amountDue : 0);
        } else {
          expect(f.invoice.status).toBe("open");
          expect(f.invoice.amountRemaining).toBe(amountDue);
        }
        const events = f.events.map((e) => e.type);
        expect(events[0]).toBe("invoice.finalized");
        expect(events.filter((t) => t === "invoice.paid")).toHaveLength(f.invoice.status === "paid" ? 1 : 0);
        expect(f.audit.map((a) => a.action)).toEqual(carried ? ["invoice.carried_to_balance"] : []);

        // Pure: the same rows and ids plan the same writes.
        expect(planIssue(input, customer, pendingIds, env, counter())).toEqual(plan);
      }),
      { numRuns: 300 },
    );
  });
});
