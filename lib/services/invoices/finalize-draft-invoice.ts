import { customerNow, lockCustomer } from "@/db/queries/customers";
import { lockInvoice, type InvoiceRow } from "@/db/queries/invoices";
import { AppError, notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { applyCreditAndFinalize } from "./apply-credit-and-finalize";

/**
 * draft → open (or paid when the credit balance covers it): the number is taken now and the
 * customer's credit balance is applied as it is now, exactly as for an invoice issued at once.
 * Finalizing does not charge; POST /invoices/{id}/pay does.
 */
export async function finalizeDraftInvoice(ctx: ServiceContext, invoiceId: string): Promise<InvoiceRow> {
  return ctx.db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, invoiceId);
    if (!invoice) throw notFound("invoice", "id");
    if (invoice.status !== "draft") {
      throw new AppError("conflict", {
        userMessage: invoice.status === "void" ? "A void invoice cannot be finalized." : `Invoice ${invoice.number ?? invoice.id} is already finalized (${invoice.status}).`,
      });
    }
    const customer = await lockCustomer(tx, invoice.customerId);
    if (!customer) throw notFound("customer");
    const at = await customerNow(tx, customer, ctx.now);
    return applyCreditAndFinalize(tx, ctx.actor, invoice, customer, at, invoice.daysUntilDue, ctx.applyMode);
  });
}
