import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { invoices } from "@/db/schema";
import { takeInvoiceNumber, type InvoiceRow } from "@/db/queries/invoices";
import type { Actor } from "@/lib/actor";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { invoiceDueDate } from "@/lib/billing/invoices/due-date";
import { AppError } from "@/lib/errors";
import { captureBillTo } from "../privacy/bill-to";
import { carryBelowMinimum } from "./carry-below-minimum";

/**
 * draft → open: assign the next gap-free number and freeze the invoice. A zero amount due is
 * paid at once without a charge; an amount due below the currency's minimum charge is paid at once
 * by carrying it to the customer's balance (carryBelowMinimum), so it is never charged either.
 */
export async function finalizeInvoice(tx: Executor, actor: Actor, invoice: InvoiceRow, at: Date, daysUntilDue: number | null, timeZone: string): Promise<InvoiceRow> {
  if (invoice.status !== "draft") {
    throw new AppError("conflict", { userMessage: `Invoice ${invoice.number ?? invoice.id} is already finalized.` });
  }
  const number = await takeInvoiceNumber(tx);
  const paidNow = invoice.amountDue === 0;
  const [row] = await tx
    .update(invoices)
    .set({
      number,
      status: paidNow ? "paid" : "open",
      finalizedAt: at,
      paidAt: paidNow ? at : null,
      dueDate: invoiceDueDate(invoice.collectionMethod, at, daysUntilDue, timeZone),
      amountRemaining: invoice.amountDue,
      // Collected automatically: due for a charge now. The caller charges it right after commit and
      // that attempt clears this; if the process dies first, the retry job finds it. A first
      // invoice is charged at checkout, where the customer sees the outcome, so it is not swept.
      nextPaymentAttemptAt: !paidNow && invoice.collectionMethod === "charge_automatically" && invoice.billingReason !== "subscription_create" ? at : null,
    })
    .where(eq(invoices.id, invoice.id))
    .returning();
  if (!row) throw new Error("invoice vanished");
  // The bill-to block as issued: kept with the invoice even if the customer later changes or is deleted.
  await captureBillTo(tx, row, at);
  await recordAudit(tx, actor, { action: "invoice.finalized", entityType: "invoice", entityId: row.id, before: { status: "draft" }, after: { status: row.status, number } }, at);
  await enqueueEvent(tx, { type: "invoice.finalized", customerId: row.customerId, entityId: row.id, payload: { invoice: row.id } }, at);
  if (paidNow) {
    await enqueueEvent(tx, { type: "invoice.paid", customerId: row.customerId, entityId: row.id, payload: { invoice: row.id } }, at);
  }
  return (await carryBelowMinimum(tx, actor, row, at)) ?? row;
}
