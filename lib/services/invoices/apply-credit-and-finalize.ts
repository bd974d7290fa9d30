import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { customers, invoices } from "@/db/schema";
import type { CustomerRow } from "@/db/queries/customers";
import type { InvoiceRow } from "@/db/queries/invoices";
import type { Actor } from "@/lib/actor";
import { AppError } from "@/lib/errors";
import { recordBalanceTransaction } from "../balance/record-balance-transaction";
import { finalizeInvoice } from "./finalize-invoice";

/**
 * Finalize a draft with the customer's credit balance as it is now: the balance pays what it can
 * (never more than the total, the same rule the engine's totals use), a negative total's excess goes
 * back to the balance, then the number is taken. Shared by invoices issued at once and drafts
 * finalized later, so both apply credit identically. `customer` is the locked, current row.
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
  // A draft built earlier saw an older balance; the credit applied is the balance at finalization.
  const creditApplied = Math.max(0, Math.min(customer.creditBalance, invoice.total));
  if (creditApplied !== invoice.creditApplied) {
    const amountDue = invoice.total - creditApplied;
    const [updated] = await tx.update(invoices).set({ creditApplied, amountDue, amountRemaining: amountDue }).where(eq(invoices.id, invoice.id)).returning();
    if (!updated) throw new Error("invoice vanished");
    draft = updated;
  }
  if (creditApplied > 0) {
    await recordBalanceTransaction(tx, customer, { amount: -creditApplied, type: "applied_to_invoice", description: "Applied to invoice", invoiceId: invoice.id }, at);
  }
  if (draft.excessCredited > 0) {
    const fresh = (await tx.select().from(customers).where(eq(customers.id, customer.id)))[0] ?? customer;
    await recordBalanceTransaction(tx, fresh, { amount: draft.excessCredited, type: "invoice_excess", description: "Unused time credited to your balance", invoiceId: invoice.id }, at);
  }
  return finalizeInvoice(tx, actor, draft, at, daysUntilDue);
}
