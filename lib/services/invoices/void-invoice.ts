import type { Executor } from "@/db/client";
import { applyWrites, insertInto, updateIn, type ApplyMode, type Write } from "@/db/apply-writes";
import { auditLog, invoices, outboxEvents } from "@/db/schema";
import { customerNow, findCustomer, lockCustomer, type CustomerRow } from "@/db/queries/customers";
import { lockInvoice, type InvoiceRow } from "@/db/queries/invoices";
import type { Actor } from "@/lib/actor";
import { auditRow } from "@/lib/audit/record";
import type { AuditRowInput, EventRowInput } from "@/lib/events/catalog/rows";
import { eventRow } from "@/lib/events/outbox";
import { realIds, type IdSource } from "@/lib/ids";
import { AppError, notFound } from "@/lib/errors";
import { balanceMoves, balanceWrites, type BalanceEntry, type BalanceMoves } from "../balance/record-balance-transaction";
import type { ServiceContext } from "../context";

/** The writes of voiding an invoice (pure): its columns, the balance returned, the audit entry and the event. */
export interface VoidPlan {
  invoice: { id: string; status: "void"; voidedAt: Date; amountRemaining: 0 };
  moves: BalanceMoves | null;
  audit: AuditRowInput;
  event: EventRowInput;
}

/** Whether voiding `invoice` moves its customer's balance (the credit it used, or a debit it collected, goes back). */
export function voidReturnsBalance(invoice: Pick<InvoiceRow, "creditApplied" | "debitApplied" | "finalizedAt">): boolean {
  return (invoice.creditApplied > 0 || invoice.debitApplied > 0) && invoice.finalizedAt !== null;
}

/**
 * open → void (pure): the invoice keeps its number and lines (finalized invoices never change) and
 * is no longer owed. Credit the customer's balance paid into it is returned, and a debit it
 * collected is owed on the balance again (`customer`: locked when voidReturnsBalance, else null).
 * Paid invoices cannot be voided: correct them with a credit note.
 */
export function planVoid(invoice: InvoiceRow, customer: Pick<CustomerRow, "id" | "currency" | "creditBalance"> | null, at: Date, actor: Actor, requestId: string | undefined, ids: IdSource): VoidPlan {
  if (invoice.status !== "open" && invoice.status !== "uncollectible" && invoice.status !== "draft") {
    throw new AppError("conflict", { userMessage: `A ${invoice.status} invoice cannot be voided. Issue a credit note instead.` });
  }
  if (invoice.amountPaid > 0) {
    throw new AppError("conflict", { userMessage: "This invoice has payments. Refund them or issue a credit note instead of voiding." });
  }
  const name = invoice.number ?? invoice.id;
  const returned: BalanceEntry | null = !customer || !voidReturnsBalance(invoice)
    ? null
    : invoice.creditApplied > 0
      ? { amount: invoice.creditApplied, type: "adjustment", description: `Credit returned from voided invoice ${name}`, invoiceId: invoice.id }
      : { amount: -invoice.debitApplied, type: "adjustment", description: `Carried amount returned from voided invoice ${name}: added to your next invoice`, invoiceId: invoice.id };
  return {
    invoice: { id: invoice.id, status: "void", voidedAt: at, amountRemaining: 0 },
    moves: customer && returned ? balanceMoves(customer, customer.creditBalance, [returned], at, () => ids.newId("balanceTransaction")) : null,
    audit: auditRow(actor, { action: "invoice.voided", entityType: "invoice", entityId: invoice.id, before: { status: invoice.status }, after: { status: "void" } }, at, requestId),
    event: eventRow({ type: "invoice.voided", customerId: invoice.customerId, entityId: invoice.id, payload: { invoice: invoice.id } }, at, ids.newId("event")),
  };
}

/** A void's writes, in order: the invoice, the balance returned, the audit entry, the event. */
export function voidWrites(plan: VoidPlan): Write[] {
  return [updateIn(invoices, [plan.invoice]), ...balanceWrites(plan.moves), insertInto(auditLog, [plan.audit]), insertInto(outboxEvents, [plan.event])];
}

/** Void an invoice in the caller's transaction (planVoid); voiding a void invoice does nothing. */
export async function voidInvoiceTx(tx: Executor, actor: Actor, invoiceId: string, at: Date, requestId?: string, mode: ApplyMode = "set"): Promise<InvoiceRow> {
  const invoice = await lockInvoice(tx, invoiceId);
  if (!invoice) throw notFound("invoice", "id");
  if (invoice.status === "void") return invoice;
  const customer = voidReturnsBalance(invoice) ? ((await lockCustomer(tx, invoice.customerId)) ?? null) : null;
  const plan = planVoid(invoice, customer, at, actor, requestId, realIds);
  await applyWrites(tx, voidWrites(plan), mode);
  return { ...invoice, ...plan.invoice };
}

/** The writes of marking an invoice uncollectible (pure): its status, the audit entry and the event. */
export interface UncollectiblePlan {
  invoice: { id: string; status: "uncollectible" };
  audit: AuditRowInput;
  event: EventRowInput;
}

/** open → uncollectible (pure): still owed and payable, but written off in reports. */
export function planUncollectible(invoice: InvoiceRow, at: Date, actor: Actor, requestId: string | undefined, ids: Pick<IdSource, "newId">): UncollectiblePlan {
  if (invoice.status !== "open") throw new AppError("conflict", { userMessage: `Only open invoices can be marked uncollectible; this one is ${invoice.status}.` });
  return {
    invoice: { id: invoice.id, status: "uncollectible" },
    audit: auditRow(actor, { action: "invoice.marked_uncollectible", entityType: "invoice", entityId: invoice.id, before: { status: "open" }, after: { status: "uncollectible" } }, at, requestId),
    event: eventRow({ type: "invoice.marked_uncollectible", customerId: invoice.customerId, entityId: invoice.id, payload: { invoice: invoice.id } }, at, ids.newId("event")),
  };
}

/** Mark an invoice uncollectible in the caller's transaction (planUncollectible); an uncollectible one is left as it is. */
export async function markUncollectibleTx(tx: Executor, actor: Actor, invoiceId: string, at: Date, requestId?: string, mode: ApplyMode = "set"): Promise<InvoiceRow> {
  const invoice = await lockInvoice(tx, invoiceId);
  if (!invoice) throw notFound("invoice", "id");
  if (invoice.status === "uncollectible") return invoice;
  const plan = planUncollectible(invoice, at, actor, requestId, realIds);
  await applyWrites(tx, [updateIn(invoices, [plan.invoice], { guard: { status: "open" } }), insertInto(auditLog, [plan.audit]), insertInto(outboxEvents, [plan.event])], mode);
  return { ...invoice, ...plan.invoice };
}

/** POST /invoices/{id}/void: voidInvoiceTx in its own transaction, in the customer's time. */
export async function voidInvoice(ctx: ServiceContext, invoiceId: string): Promise<InvoiceRow> {
  return ctx.db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, invoiceId);
    if (!invoice) throw notFound("invoice", "id");
    if (invoice.status === "void") throw new AppError("conflict", { userMessage: `Invoice ${invoice.number ?? invoice.id} is already void.` });
    return voidInvoiceTx(tx, ctx.actor, invoiceId, await customerTime(tx, invoice, ctx.now), ctx.requestId, ctx.applyMode);
  });
}

/** POST /invoices/{id}/mark_uncollectible: markUncollectibleTx in its own transaction. */
export async function markInvoiceUncollectible(ctx: ServiceContext, invoiceId: string): Promise<InvoiceRow> {
  return ctx.db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, invoiceId);
    if (!invoice) throw notFound("invoice", "id");
    if (invoice.status === "uncollectible") throw new AppError("conflict", { userMessage: `Invoice ${invoice.number ?? invoice.id} is already marked uncollectible.` });
    return markUncollectibleTx(tx, ctx.actor, invoiceId, await customerTime(tx, invoice, ctx.now), ctx.requestId, ctx.applyMode);
  });
}

async function customerTime(tx: Executor, invoice: InvoiceRow, now: Date): Promise<Date> {
  const customer = await findCustomer(tx, invoice.customerId);
  return customer ? customerNow(tx, customer, now) : now;
}
