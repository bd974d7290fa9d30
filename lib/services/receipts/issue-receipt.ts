import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { customerNow, findCustomer, findPaymentMethod } from "@/db/queries/customers";
import { takeInvoiceNumber } from "@/db/queries/invoices";
import type { PaymentRow } from "@/db/queries/payments";
import { findReceiptForPayment, type ReceiptRow } from "@/db/queries/receipts";
import { invoices, payments, receipts } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { newId } from "@/lib/ids";

const MANUAL_METHODS: Record<string, string> = { bank_transfer: "Bank transfer", cheque: "Cheque", other: "Other" };

/** How the customer paid, as the receipt prints it: "Visa ending 4242", "Bank transfer (ref 7731)". */
export function methodLabel(payment: Pick<PaymentRow, "method" | "gateway" | "gatewayId">, card: { brand: string; last4: string } | null): string {
  if (payment.method === "card") return card ? `${card.brand.charAt(0).toUpperCase()}${card.brand.slice(1)} ending ${card.last4}` : "Card";
  const label = MANUAL_METHODS[payment.method] ?? "Other";
  return payment.gateway === "manual" && payment.gatewayId ? `${label} (ref ${payment.gatewayId})` : label;
}

export interface IssuedReceipt {
  receipt: ReceiptRow;
  /** The receipt.created event when this call issued it; null when the payment already had its receipt. */
  createdEvent: string | null;
}

/**
 * The receipt of a successful payment, issued once (decision 043): the payment row is locked, so two
 * handlers of the same payment (a retried webhook, a re-dispatched event, invoice.paid and
 * payment.recorded of one manual payment) take turns and the second finds the first's receipt; the
 * unique payment_id holds it too. The number is taken from the receipt series in the same
 * transaction, gap-free. Nothing for a payment that did not succeed or received nothing.
 */
export async function issueReceipt(db: Db, paymentId: string, now: Date): Promise<IssuedReceipt | null> {
  return db.transaction(async (tx) => {
    // The invoice before its payment (lockInvoice's lock order): the receipt's key on the invoice
    // would otherwise wait for a credit note's refund while holding the payment the refund waits for.
    const [paid] = await tx.select({ invoiceId: payments.invoiceId }).from(payments).where(eq(payments.id, paymentId));
    if (!paid) return null;
    const [invoice] = await tx.select({ id: invoices.id }).from(invoices).where(eq(invoices.id, paid.invoiceId)).for("key share");
    if (!invoice) return null;
    const [payment] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for("update");
    if (!payment || payment.status !== "succeeded" || payment.amount <= 0) return null;
    const existing = await findReceiptForPayment(tx, payment.id);
    if (existing) return { receipt: existing, createdEvent: null };
    const card = payment.method === "card" && payment.paymentMethodId ? ((await findPaymentMethod(tx, payment.paymentMethodId)) ?? null) : null;
    const paidAt = payment.settledAt ?? payment.createdAt;
    // A customer on a test clock lives in its time: the receipt is issued then, as its payment was.
    const customer = await findCustomer(tx, payment.customerId);
    const at = customer ? await customerNow(tx, customer, now) : now;
    const [receipt] = await tx
      .insert(receipts)
      .values({
        id: newId("receipt"),
        number: await takeInvoiceNumber(tx, "receipt"),
        customerId: payment.customerId,
        invoiceId: payment.invoiceId,
        paymentId: payment.id,
        amount: payment.amount,
        currency: payment.currency,
        method: payment.method,
        methodLabel: methodLabel(payment, card),
        cardBrand: card?.brand ?? null,
        cardLast4: card?.last4 ?? null,
        paidAt,
        livemode: payment.livemode,
        createdAt: at,
      })
      .returning();
    if (!receipt) throw new Error("receipt insert returned nothing");
    await recordAudit(tx, systemActor("receipts"), { action: "receipt.issued", entityType: "receipt", entityId: receipt.id, after: { number: receipt.number, payment: payment.id, invoice: payment.invoiceId, amount: receipt.amount, currency: receipt.currency, method: receipt.methodLabel } }, now);
    const createdEvent = await enqueueEvent(
      tx,
      { type: "receipt.created", customerId: receipt.customerId, entityId: receipt.id, payload: { receipt: receipt.id, number: receipt.number, payment: payment.id, invoice: payment.invoiceId, amount: receipt.amount, currency: receipt.currency } },
      at,
    );
    return { receipt, createdEvent };
  });
}
