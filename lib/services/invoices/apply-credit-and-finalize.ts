import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { customers, invoices } from "@/db/schema";
import type { CustomerRow } from "@/db/queries/customers";
import type { InvoiceRow } from "@/db/queries/invoices";
import type { Actor } from "@/lib/actor";
import { applyBalance } from "@/lib/billing/invoices/totals";
import { AppError } from "@/lib/errors";
import { recordBalanceTransaction } from "../balance/record-balance-transaction";
import { finalizeInvoice } from "./finalize-invoice";

/**
 * Finalize a draft with the customer's balance as it is now (applyBalance, the engine's rule): credit
 * pays what it can, a debit (amounts earlier invoices carried below the minimum charge) is added to
 * the amount due, a negative total's excess goes back to the balance, then the number is taken.
 * Shared by invoices issued at once and drafts finalized later, so both apply the balance
 * identically. `customer` is the locked, current row.
 */
export async function applyCreditAndFinalize(
  tx: Executor,
  actor: Actor,
  invoice: InvoiceRow,
  customer: CustomerRow,
  at: Date,
  daysUntilDue: number | null,
): Promise<InvoiceRow> {
  if (invoice.status !== "draft") {
    throw new AppError("conflict", { userMessage: `Invoice ${invoice.number ?? invoice.id} is already finalized.` });
  }
  let draft = invoice;
  // A draft built earlier saw an older balance; the balance applied is the one at finalization.
  const { creditApplied, debitApplied, amountDue } = applyBalance(customer.creditBalance, invoice.total);
  if (creditApplied !== invoice.creditApplied || debitApplied !== invoice.debitApplied) {
    const [updated] = await tx.update(invoices).set({ creditApplied, debitApplied, amountDue, amountRemaining: amountDue }).where(eq(invoices.id, invoice.id)).returning();
    if (!updated) throw new Error("invoice vanished");
    draft = updated;
  }
  const current = async () => (await tx.select().from(customers).where(eq(customers.id, customer.id)))[0] ?? customer;
  if (creditApplied > 0) {
    await recordBalanceTransaction(tx, customer, { amount: -creditApplied, type: "applied_to_invoice", description: "Applied to invoice", invoiceId: invoice.id }, at);
  }
  if (debitApplied > 0) {
    await recordBalanceTransaction(tx, await current(), { amount: debitApplied, type: "applied_to_invoice", description: "Carried from earlier invoices below the minimum card charge", invoiceId: invoice.id }, at);
  }
  if (draft.excessCredited > 0) {
    await recordBalanceTransaction(tx, await current(), { amount: draft.excessCredited, type: "invoice_excess", description: "Unused time credited to your balance", invoiceId: invoice.id }, at);
  }
  return finalizeInvoice(tx, actor, draft, at, daysUntilDue, customer.timezone);
}
