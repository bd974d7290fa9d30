import { findCustomer } from "@/db/queries/customers";
import { lockInvoice, type InvoiceRow } from "@/db/queries/invoices";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";

/**
 * Email an invoice still owed to the customer again, with its pay link. The email is sent after
 * commit by the outbox (event invoice.resent), once per request.
 */
export async function resendInvoice(ctx: ServiceContext, invoiceId: string): Promise<{ invoice: InvoiceRow; to: string }> {
  return ctx.db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, invoiceId);
    if (!invoice) throw notFound("invoice", "invoice");
    if (invoice.status !== "open" && invoice.status !== "uncollectible") {
      throw new AppError("conflict", { userMessage: `Invoice ${invoice.number ?? invoice.id} is ${invoice.status}; only invoices still owed are emailed with a pay link.` });
    }
    const customer = await findCustomer(tx, invoice.customerId);
    if (!customer) throw notFound("customer");
    await recordAudit(tx, ctx.actor, { action: "invoice.resent", entityType: "invoice", entityId: invoice.id, after: { to: customer.email, amount_remaining: invoice.amountRemaining } }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "invoice.resent", customerId: invoice.customerId, entityId: invoice.id, payload: { invoice: invoice.id, to: customer.email } }, ctx.now);
    return { invoice, to: customer.email };
  });
}
