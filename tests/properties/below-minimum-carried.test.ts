import fc from "fast-check";
import { and, eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { balanceTransactions, sandboxCharges } from "@/db/schema";
import { currenciesWithMinimum, minimumChargeAmount } from "@/lib/payments/charge-minimums";
import { grantCredit } from "@/lib/services/balance/grant-credit";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { upcomingInvoice } from "@/lib/services/subscriptions/preview";
import { balanceOf, clockCustomer, invoicesOf, paymentsOfInvoice } from "../scenarios/support";
import { inBothApplyModes } from "../scenarios/apply-modes";
import { makePlan } from "../factories";

/**
 * For any currency with a published Stripe minimum and any amount due strictly between 0 and that
 * minimum — reached with or without credit on the customer's balance — no charge is attempted at
 * the gateway, the invoice is settled (paid, the amount carried to the balance, nothing remaining),
 * the customer's debit grows by exactly that amount, and the next invoice's amount due includes
 * it: in its preview and in the renewal itself, which is charged for exactly its amount due when
 * that reaches the minimum and carried again when it does not.
 */
const caseArb = fc
  .constantFrom(...currenciesWithMinimum())
  .chain((currency) =>
    fc.record({
      currency: fc.constant(currency),
      due: fc.integer({ min: 1, max: minimumChargeAmount(currency)! - 1 }),
      credit: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000 })),
    }),
  );

describe("property: an amount due below the minimum charge is carried, never charged", () => {
  it("for every currency in the minimums file and every amount due in (0, minimum)", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, inBothApplyModes(async ({ currency, due, credit }) => {
        const start = new Date("2027-03-01T00:00:00Z");
        // Outside Australia: no tax, so the amount due is exactly the price less the credit.
        const { ctx, customerId, advance } = await clockCustomer(start, { currency, timezone: "UTC", country: "US" });
        if (credit > 0) await grantCredit(ctx, { customerId, amount: credit, currency, reason: "Prepaid" });
        const { priceId } = await makePlan(ctx.db, { code: "p", name: "Plan", unitAmount: due + credit, currency, taxBehavior: "exclusive" });
        const { subscription, invoice } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }] });

        // Settled at once: paid, carried, nothing left to collect, and the card never asked.
        expect(invoice).toMatchObject({ status: "paid", total: due + credit, creditApplied: credit, amountDue: due, amountPaid: 0, amountRemaining: 0, carriedToBalance: due, nextPaymentAttemptAt: null });
        expect(await paymentsOfInvoice(invoice!.id)).toEqual([]);
        expect(await ctx.db.select().from(sandboxCharges).where(like(sandboxCharges.idempotencyKey, `inv_${invoice!.id}_%`))).toEqual([]);
        // The credit went to the invoice and the debit grew by exactly the amount due.
        expect(await balanceOf(customerId)).toBe(-due);
        const carried = await ctx.db.select().from(balanceTransactions).where(and(eq(balanceTransactions.invoiceId, invoice!.id), eq(balanceTransactions.type, "invoice_too_small")));
        expect(carried.map((t) => t.amount)).toEqual([-due]);

        // The next invoice collects it: the preview says so, and so does the renewal.
        const upcoming = await upcomingInvoice(ctx, subscription.id);
        expect(upcoming.invoice).toMatchObject({ total: due + credit, creditApplied: 0, debitApplied: due, amountDue: due + credit + due });
        await advance(upcoming.date);
        const [, renewal] = await invoicesOf(subscription.id);
        const nextDue = due + credit + due;
        expect(renewal).toMatchObject({ status: "paid", debitApplied: due, amountDue: nextDue, amountRemaining: 0 });
        const payments = await paymentsOfInvoice(renewal!.id);
        if (nextDue < minimumChargeAmount(currency)!) {
          expect(renewal).toMatchObject({ amountPaid: 0, carriedToBalance: nextDue });
          expect(payments).toEqual([]);
          expect(await balanceOf(customerId)).toBe(-nextDue);
        } else {
          expect(renewal).toMatchObject({ amountPaid: nextDue, carriedToBalance: 0 });
          expect(payments.map((p) => [p.status, p.amount])).toEqual([["succeeded", nextDue]]);
          expect(await balanceOf(customerId)).toBe(0);
        }
      })),
      { numRuns: 25 },
    );
  });
});
