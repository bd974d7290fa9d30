import { and, desc, eq } from "drizzle-orm";
import { invoices, payments } from "@/db/schema";
import { customerNow, findCustomer } from "@/db/queries/customers";
import { findInvoice, lockInvoice, type InvoiceRow } from "@/db/queries/invoices";
import type { PaymentRow } from "@/db/queries/payments";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "../context";
import { activateSubscriptionOnPayment } from "./after-payment";
import { attemptInvoicePayment } from "./attempt-payment";

export interface PayInvoiceResult {
  invoice: InvoiceRow;
  payment: PaymentRow | null;
}

/** The idempotency key of the one out-of-band payment an invoice can have. */
export function outOfBandKey(invoiceId: string): string {
  return `inv_${invoiceId}_oob`;
}

/**
 * Collect an open (or uncollectible) invoice now: charge the customer's default payment method,
 * or, with `paidOutOfBand`, record that it was paid outside Tally (cash, a bank transfer already
 * reconciled) without a charge. A declined or unauthenticated charge is a 402 naming the decline;
 * the invoice stays open with the attempt on record.
 */
export async function payInvoice(ctx: ServiceContext, invoiceId: string, opts: { paidOutOfBand?: boolean } = {}): Promise<PayInvoiceResult> {
  if (opts.paidOutOfBand) return payOutOfBand(ctx, invoiceId);
  const current = await findInvoice(ctx.db, invoiceId);
  if (!current) throw notFound("invoice", "id");
  refuseUnpayable(current);
  const result = await attemptInvoicePayment(ctx, invoiceId, { includeUncollectible: true });
  const { payment } = result;
  if (!payment) refuseUnpayable(result.invoice);
  if (payment?.status === "failed") {
    throw new AppError("payment_failed", {
      userMessage: payment.failureMessage ?? "The payment failed.",
      extra: { decline_code: payment.declineCode, failure_code: payment.failureCode, payment: payment.id, invoice: invoiceId },
    });
  }
  if (payment?.status === "requires_action") {
    throw new AppError("payment_failed", {
      userMessage: "The customer's bank asks them to authenticate this payment; it stays open until they do.",
      extra: { decline_code: "authentication_required", failure_code: "authentication_required", payment: payment.id, invoice: invoiceId },
    });
  }
  return { invoice: result.invoice, payment };
}

function refuseUnpayable(invoice: InvoiceRow): void {
  if (invoice.status === "open" || invoice.status === "uncollectible") return;
  const why: Record<string, string> = {
    draft: "Finalize the draft before paying it.",
    paid: `Invoice ${invoice.number ?? invoice.id} is already paid.`,
    void: `Invoice ${invoice.number ?? invoice.id} is void and cannot be paid.`,
  };
  throw new AppError("conflict", { userMessage: why[invoice.status] ?? `A ${invoice.status} invoice cannot be paid.` });
}

async function payOutOfBand(ctx: ServiceContext, invoiceId: string): Promise<PayInvoiceResult> {
  return ctx.db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, invoiceId);
    if (!invoice) throw notFound("invoice", "id");
    refuseUnpayable(invoice);
    const [inFlight] = await tx.select({ id: payments.id }).from(payments).where(and(eq(payments.invoiceId, invoice.id), eq(payments.status, "pending"))).limit(1);
    if (inFlight) throw new AppError("conflict", { userMessage: "A charge for this invoice is in progress; wait for its result before marking it paid." });
    const customer = await findCustomer(tx, invoice.customerId);
    const at = customer ? await customerNow(tx, customer, ctx.now) : ctx.now;
    const [last] = await tx.select({ attempt: payments.attempt }).from(payments).where(eq(payments.invoiceId, invoice.id)).orderBy(desc(payments.attempt)).limit(1);
    const [payment] = await tx
      .insert(payments)
      .values({
        id: newId("payment"),
        invoiceId: invoice.id,
        customerId: invoice.customerId,
        amount: invoice.amountRemaining,
        currency: invoice.currency,
        status: "succeeded",
        method: "other",
        gateway: "manual",
        idempotencyKey: outOfBandKey(invoice.id),
        attempt: (last?.attempt ?? 0) + 1,
        livemode: invoice.livemode,
        createdAt: at,
        settledAt: at,
      })
      .returning();
    const [paid] = await tx
      .update(invoices)
      .set({ status: "paid", amountPaid: invoice.amountPaid + invoice.amountRemaining, amountRemaining: 0, paidAt: at })
      .where(eq(invoices.id, invoice.id))
      .returning();
    if (!payment || !paid) throw new Error("payment or invoice vanished");
    await recordAudit(tx, ctx.actor, { action: "invoice.paid_out_of_band", entityType: "invoice", entityId: invoice.id, before: { status: invoice.status }, after: { status: "paid", payment: payment.id } }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "invoice.paid", customerId: invoice.customerId, entityId: invoice.id, payload: { invoice: invoice.id, payment: payment.id, paid_out_of_band: true } }, at);
    await activateSubscriptionOnPayment(tx, ctx.actor, invoice, at);
    return { invoice: paid, payment };
  });
}
