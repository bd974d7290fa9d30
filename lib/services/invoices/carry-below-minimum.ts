import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { invoices } from "@/db/schema";
import { lockCustomer } from "@/db/queries/customers";
import type { InvoiceRow } from "@/db/queries/invoices";
import type { Actor } from "@/lib/actor";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { isBelowMinimumCharge } from "@/lib/payments/charge-minimums";
import { recordBalanceTransaction } from "../balance/record-balance-transaction";

/**
 * Stripe Billing's rule for an amount Stripe would refuse to charge (decision 023): an open invoice
 * whose amount remaining is owed but below the currency's minimum charge is not charged. It is paid
 * by moving that amount to the customer's balance as a debit (ledger type `invoice_too_small`), which
 * the next invoice finalized for the customer collects (applyBalance). The caller holds the invoice's
 * row lock; the customer's is taken here.
 *
 * Returns the settled invoice, or null when there is nothing to carry (not open or uncollectible,
 * nothing owed, or at least the minimum): a second run finds the invoice paid and does nothing.
 * Paying does not reactivate a subscription or end dunning here: the caller that collects does that.
 */
export async function carryBelowMinimum(tx: Executor, actor: Actor, invoice: InvoiceRow, at: Date, requestId?: string): Promise<InvoiceRow | null> {
  if (invoice.status !== "open" && invoice.status !== "uncollectible") return null;
  const amount = invoice.amountRemaining;
  if (!isBelowMinimumCharge(amount, invoice.currency)) return null;
  const customer = await lockCustomer(tx, invoice.customerId);
  if (!customer) throw new Error("customer vanished");
  const [paid] = await tx
    .update(invoices)
    .set({ status: "paid", carriedToBalance: invoice.carriedToBalance + amount, amountRemaining: 0, paidAt: at, nextPaymentAttemptAt: null })
    .where(eq(invoices.id, invoice.id))
    .returning();
  if (!paid) throw new Error("invoice vanished");
  const entry = await recordBalanceTransaction(
    tx,
    customer,
    { amount: -amount, type: "invoice_too_small", description: "Below the minimum card charge: added to your next invoice", invoiceId: invoice.id },
    at,
  );
  await recordAudit(
    tx,
    actor,
    {
      action: "invoice.carried_to_balance",
      entityType: "invoice",
      entityId: invoice.id,
      before: { status: invoice.status, amount_remaining: amount },
      after: { status: "paid", carried_to_balance: amount, ending_balance: entry.endingBalance },
    },
    at,
    requestId,
  );
  await enqueueEvent(tx, { type: "invoice.paid", customerId: invoice.customerId, entityId: invoice.id, payload: { invoice: invoice.id, carried_to_balance: amount } }, at);
  return paid;
}
