import type { Executor } from "@/db/client";
import { applyWrites, insertInto, updateIn, type ApplyMode } from "@/db/apply-writes";
import { auditLog, invoiceBillTo, invoices, outboxEvents } from "@/db/schema";
import type { CustomerRow } from "@/db/queries/customers";
import { lockInvoice, takeInvoiceNumber, type InvoiceRow } from "@/db/queries/invoices";
import type { Actor } from "@/lib/actor";
import { realIds } from "@/lib/ids";
import { balanceWrites } from "../balance/record-balance-transaction";
import { finalizedAudit, planFinalization, type FinalizationPlan } from "./plan-invoice";

/**
 * Finalize a draft with the customer's balance as it is now (planFinalization): credit pays what it
 * can, a debit is added to the amount due, a negative total's excess goes back to the balance, then
 * the number is taken. Shared by invoices issued at once and drafts finalized later, so both apply
 * the balance identically. `customer` is the locked, current row.
 */
export async function applyCreditAndFinalize(
  tx: Executor,
  actor: Actor,
  invoice: InvoiceRow,
  customer: CustomerRow,
  at: Date,
  daysUntilDue: number | null,
  mode: ApplyMode = "set",
): Promise<InvoiceRow> {
  await applyFinalization(tx, planFinalization(invoice, customer, at, daysUntilDue, { actor }, realIds), mode);
  const row = await lockInvoice(tx, invoice.id);
  if (!row) throw new Error("invoice vanished");
  return row;
}

/**
 * Write a finalization's plan: the balance moves, then the number (the series counter stays locked
 * until the commit: gap-free), the invoice's finalized columns, the bill-to block as issued (kept
 * with the invoice even if the customer later changes or is deleted), the audit entries and events.
 */
export async function applyFinalization(tx: Executor, plan: FinalizationPlan, mode: ApplyMode): Promise<void> {
  await applyWrites(tx, balanceWrites(plan.moves), mode);
  const number = await takeInvoiceNumber(tx);
  await applyWrites(tx, [updateIn(invoices, [{ id: plan.invoiceId, number, ...plan.invoice }])], mode);
  await applyWrites(tx, [insertInto(invoiceBillTo, [plan.billTo]), insertInto(auditLog, [finalizedAudit(plan, number), ...plan.audit]), insertInto(outboxEvents, plan.events)], mode);
}
