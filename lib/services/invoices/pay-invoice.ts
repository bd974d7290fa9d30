import { findInvoice, type InvoiceRow } from "@/db/queries/invoices";
import type { PaymentRow } from "@/db/queries/payments";
import { AppError, notFound } from "@/lib/errors";
import { GATEWAY_REFUSED } from "@/lib/payments/gateway-error";
import type { ServiceContext } from "../context";
import { recordManualPayment } from "../payments/record-manual-payment";
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
 * Collect an open (or uncollectible) invoice now: charge the customer's default payment method
 * (or `paymentMethodId`, another of their saved cards), or, with `paidOutOfBand`, record that it
 * was paid outside Tally (cash, a bank transfer already reconciled) without a charge. A declined
 * or unauthenticated charge is a 402 naming the decline, a charge the gateway refused as asked a
 * 400 naming its reason; the invoice stays open with the attempt on record. An amount owed below
 * the currency's minimum charge is not charged: the invoice is paid by carrying it to the customer's
 * balance, for their next invoice.
 */
export async function payInvoice(ctx: ServiceContext, invoiceId: string, opts: { paidOutOfBand?: boolean; paymentMethodId?: string } = {}): Promise<PayInvoiceResult> {
  if (opts.paidOutOfBand) return payOutOfBand(ctx, invoiceId);
  const current = await findInvoice(ctx.db, invoiceId);
  if (!current) throw notFound("invoice", "id");
  refuseUnpayable(current);
  const result = await attemptInvoicePayment(ctx, invoiceId, { includeUncollectible: true, paymentMethodId: opts.paymentMethodId });
  const { payment } = result;
  // Below the minimum charge: paid by carrying the amount to the balance, nothing charged.
  if (result.carried) return { invoice: result.invoice, payment: null };
  if (!payment) refuseUnpayable(result.invoice);
  if (payment?.status === "failed" && payment.failureCode === GATEWAY_REFUSED) {
    // Not a decline: the gateway refused the request itself. The invoice stays open with the attempt on record.
    throw new AppError("gateway_refused", {
      userMessage: payment.failureMessage ?? "The payment gateway refused the payment.",
      extra: { failure_code: payment.failureCode, payment: payment.id, invoice: invoiceId },
    });
  }
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
  const current = await findInvoice(ctx.db, invoiceId);
  if (!current) throw notFound("invoice", "id");
  refuseUnpayable(current);
  return recordManualPayment(ctx, { invoiceId, method: "other", idempotencyKey: outOfBandKey(invoiceId) });
}
