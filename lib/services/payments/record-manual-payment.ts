import { and, desc, eq } from "drizzle-orm";
import { invoices, payments } from "@/db/schema";
import { customerNow, findCustomer } from "@/db/queries/customers";
import { lockInvoice, type InvoiceRow } from "@/db/queries/invoices";
import type { PaymentRow } from "@/db/queries/payments";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { assertMinorUnits } from "@/lib/money";
import type { ServiceContext } from "../context";
import { activateSubscriptionOnPayment } from "../invoices/after-payment";
import { systemFormatter } from "@/lib/format";

/** Messages and details here have no one reader: the business locale writes them. */
const fmt = systemFormatter();

export interface ManualPaymentInput {
  invoiceId: string;
  /** Defaults to everything still owed. */
  amount?: number;
  method: "bank_transfer" | "cheque" | "other";
  /** The bank or cheque reference; with the invoice it keys the payment, so recording it twice records it once. */
  reference?: string | null;
  /** Overrides the key derived from the reference (used for "paid out of band"). */
  idempotencyKey?: string;
}

/**
 * Record money received outside the gateway (bank transfer, cheque) against an open or
 * uncollectible invoice — for `send_invoice` customers. A partial payment leaves it open with the
 * rest remaining; the full amount pays it and brings its subscription back.
 */
export async function recordManualPayment(ctx: ServiceContext, input: ManualPaymentInput): Promise<{ invoice: InvoiceRow; payment: PaymentRow }> {
  return ctx.db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, input.invoiceId);
    if (!invoice) throw notFound("invoice", "invoice");
    const key = input.idempotencyKey ?? (input.reference ? `inv_${invoice.id}_manual_${input.reference}` : null);
    if (key) {
      const [existing] = await tx.select().from(payments).where(eq(payments.idempotencyKey, key));
      if (existing) return { invoice, payment: existing };
    }
    if (invoice.status !== "open" && invoice.status !== "uncollectible") {
      throw new AppError("conflict", { userMessage: `Invoice ${invoice.number ?? invoice.id} is ${invoice.status}; only open invoices take payments.` });
    }
    const amount = input.amount ?? invoice.amountRemaining;
    assertMinorUnits(amount, invoice.currency, "amount");
    if (amount <= 0 || amount > invoice.amountRemaining) {
      throw new AppError("out_of_range", {
        param: "amount",
        userMessage: `amount must be between 1 and the ${fmt.money(invoice.amountRemaining, invoice.currency)} still owed on this invoice.`,
      });
    }
    const [inFlight] = await tx.select({ id: payments.id }).from(payments).where(and(eq(payments.invoiceId, invoice.id), eq(payments.status, "pending"))).limit(1);
    if (inFlight) throw new AppError("conflict", { userMessage: "A card charge for this invoice is in progress; wait for its result before recording a payment." });
    const customer = await findCustomer(tx, invoice.customerId);
    const at = customer ? await customerNow(tx, customer, ctx.now) : ctx.now;
    const [last] = await tx.select({ attempt: payments.attempt }).from(payments).where(eq(payments.invoiceId, invoice.id)).orderBy(desc(payments.attempt)).limit(1);
    const attempt = (last?.attempt ?? 0) + 1;
    const [payment] = await tx
      .insert(payments)
      .values({
        id: newId("payment"),
        invoiceId: invoice.id,
        customerId: invoice.customerId,
        amount,
        currency: invoice.currency,
        status: "succeeded",
        method: input.method,
        gateway: "manual",
        gatewayId: input.reference ?? null,
        idempotencyKey: key ?? `inv_${invoice.id}_manual_attempt_${attempt}`,
        attempt,
        livemode: invoice.livemode,
        createdAt: at,
        settledAt: at,
      })
      .returning();
    const remaining = invoice.amountRemaining - amount;
    const [updated] = await tx
      .update(invoices)
      .set({ amountPaid: invoice.amountPaid + amount, amountRemaining: remaining, ...(remaining === 0 ? { status: "paid" as const, paidAt: at, nextPaymentAttemptAt: null } : {}) })
      .where(eq(invoices.id, invoice.id))
      .returning();
    if (!payment || !updated) throw new Error("payment or invoice vanished");
    await recordAudit(tx, ctx.actor, { action: "payment.recorded_manually", entityType: "invoice", entityId: invoice.id, before: { status: invoice.status, amount_remaining: invoice.amountRemaining }, after: { status: updated.status, amount_remaining: remaining, payment: payment.id, method: input.method, reference: input.reference ?? null } }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "payment.recorded", customerId: invoice.customerId, entityId: payment.id, payload: { payment: payment.id, invoice: invoice.id } }, at);
    if (remaining === 0) {
      await enqueueEvent(tx, { type: "invoice.paid", customerId: invoice.customerId, entityId: invoice.id, payload: { invoice: invoice.id, payment: payment.id } }, at);
      await activateSubscriptionOnPayment(tx, ctx.actor, updated, at);
    }
    return { invoice: updated, payment };
  });
}
