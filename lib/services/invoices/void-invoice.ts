import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { customers, invoices } from "@/db/schema";
import { customerNow, findCustomer } from "@/db/queries/customers";
import { lockInvoice, type InvoiceRow } from "@/db/queries/invoices";
import type { Actor } from "@/lib/actor";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import { recordBalanceTransaction } from "../balance/record-balance-transaction";
import type { ServiceContext } from "../context";

/**
 * open → void: the invoice keeps its number and lines (finalized invoices never change) and is no
 * longer owed. Credit the customer's balance paid into it is returned, and a debit it collected is
 * owed on the balance again. Paid invoices cannot be
 * voided: correct them with a credit note.
 */
export async function voidInvoiceTx(tx: Executor, actor: Actor, invoiceId: string, at: Date, requestId?: string): Promise<InvoiceRow> {
  const invoice = await lockInvoice(tx, invoiceId);
  if (!invoice) throw notFound("invoice", "id");
  if (invoice.status === "void") return invoice;
  if (invoice.status !== "open" && invoice.status !== "uncollectible" && invoice.status !== "draft") {
    throw new AppError("conflict", { userMessage: `A ${invoice.status} invoice cannot be voided. Issue a credit note instead.` });
  }
  if (invoice.amountPaid > 0) {
    throw new AppError("conflict", { userMessage: "This invoice has payments. Refund them or issue a credit note instead of voiding." });
  }
  const [row] = await tx.update(invoices).set({ status: "void", voidedAt: at, amountRemaining: 0 }).where(eq(invoices.id, invoice.id)).returning();
  if (!row) throw new Error("invoice vanished");
  // The balance it took goes back: credit it used, or a debit it was to collect (owed again, by the next invoice).
  if ((invoice.creditApplied > 0 || invoice.debitApplied > 0) && invoice.finalizedAt) {
    const [customer] = await tx.select().from(customers).where(eq(customers.id, invoice.customerId)).for("update");
    if (customer && invoice.creditApplied > 0) {
      await recordBalanceTransaction(tx, customer, { amount: invoice.creditApplied, type: "adjustment", description: `Credit returned from voided invoice ${invoice.number ?? invoice.id}`, invoiceId: invoice.id }, at);
    } else if (customer) {
      await recordBalanceTransaction(tx, customer, { amount: -invoice.debitApplied, type: "adjustment", description: `Carried amount returned from voided invoice ${invoice.number ?? invoice.id}: added to your next invoice`, invoiceId: invoice.id }, at);
    }
  }
  await recordAudit(tx, actor, { action: "invoice.voided", entityType: "invoice", entityId: invoice.id, before: { status: invoice.status }, after: { status: "void" } }, at, requestId);
  await enqueueEvent(tx, { type: "invoice.voided", customerId: invoice.customerId, entityId: invoice.id, payload: { invoice: invoice.id } }, at);
  return row;
}

/** open → uncollectible: still owed and payable, but written off in reports. */
export async function markUncollectibleTx(tx: Executor, actor: Actor, invoiceId: string, at: Date, requestId?: string): Promise<InvoiceRow> {
  const invoice = await lockInvoice(tx, invoiceId);
  if (!invoice) throw notFound("invoice", "id");
  if (invoice.status === "uncollectible") return invoice;
  if (invoice.status !== "open") throw new AppError("conflict", { userMessage: `Only open invoices can be marked uncollectible; this one is ${invoice.status}.` });
  const [row] = await tx.update(invoices).set({ status: "uncollectible" }).where(eq(invoices.id, invoice.id)).returning();
  if (!row) throw new Error("invoice vanished");
  await recordAudit(tx, actor, { action: "invoice.marked_uncollectible", entityType: "invoice", entityId: invoice.id, before: { status: "open" }, after: { status: "uncollectible" } }, at, requestId);
  await enqueueEvent(tx, { type: "invoice.marked_uncollectible", customerId: invoice.customerId, entityId: invoice.id, payload: { invoice: invoice.id } }, at);
  return row;
}

/** POST /invoices/{id}/void: voidInvoiceTx in its own transaction, in the customer's time. */
export async function voidInvoice(ctx: ServiceContext, invoiceId: string): Promise<InvoiceRow> {
  return ctx.db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, invoiceId);
    if (!invoice) throw notFound("invoice", "id");
    if (invoice.status === "void") throw new AppError("conflict", { userMessage: `Invoice ${invoice.number ?? invoice.id} is already void.` });
    return voidInvoiceTx(tx, ctx.actor, invoiceId, await customerTime(tx, invoice, ctx.now), ctx.requestId);
  });
}

/** POST /invoices/{id}/mark_uncollectible: markUncollectibleTx in its own transaction. */
export async function markInvoiceUncollectible(ctx: ServiceContext, invoiceId: string): Promise<InvoiceRow> {
  return ctx.db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, invoiceId);
    if (!invoice) throw notFound("invoice", "id");
    if (invoice.status === "uncollectible") throw new AppError("conflict", { userMessage: `Invoice ${invoice.number ?? invoice.id} is already marked uncollectible.` });
    return markUncollectibleTx(tx, ctx.actor, invoiceId, await customerTime(tx, invoice, ctx.now), ctx.requestId);
  });
}

async function customerTime(tx: Executor, invoice: InvoiceRow, now: Date): Promise<Date> {
  const customer = await findCustomer(tx, invoice.customerId);
  return customer ? customerNow(tx, customer, now) : now;
}
