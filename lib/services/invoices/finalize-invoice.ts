import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { invoices } from "@/db/schema";
import { takeInvoiceNumber, type InvoiceRow } from "@/db/queries/invoices";
import type { Actor } from "@/lib/actor";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { finalization } from "@/lib/billing/invoices/finalization";
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
  const f = finalization({ amountDue: invoice.amountDue, collectionMethod: invoice.collectionMethod, billingReason: invoice.billingReason, daysUntilDue }, at, timeZone);
  const paidNow = f.status === "paid";
  const [row] = await tx
    .update(invoices)
    .set({ number, ...f })
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
