import { and, desc, eq } from "drizzle-orm";
import { invoices, payments } from "@/db/schema";
import { customerNow, findCustomer, findPaymentMethod } from "@/db/queries/customers";
import { findInvoice, lockInvoice, type InvoiceRow } from "@/db/queries/invoices";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { chargeIdempotencyKey, gateway, type ChargeResult } from "@/lib/payments";
import type { ServiceContext } from "../context";
import { gatewayCustomerId } from "../payments/gateway-customer";
import { settleCharges } from "../payments/settle-charges";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import type { PaymentRow } from "@/db/queries/payments";
import { activateSubscriptionOnPayment } from "./after-payment";
import { restoreCustomerIfSettled } from "../dunning/restore-customer";
import { carryBelowMinimum } from "./carry-below-minimum";

export interface AttemptResult {
  invoice: InvoiceRow;
  payment: PaymentRow | null;
  subscription: SubscriptionRow | null;
  /** Set when the amount owed was below the minimum charge: settled by carrying it to the balance, not charged. */
  carried?: number;
}

/**
 * Charge an open invoice with the customer's default payment method.
 * 0. The customer's id at the gateway is made first, before anything is recorded: a gateway that
 *    refuses it (a 400 `gateway_refused`) or does not answer (503) leaves no payment behind.
 * 1. In a transaction: record a pending payment with the next attempt number — or reuse a pending
 *    one left by a crash, so its idempotency key (`inv_<id>_attempt_<n>`) is reused and the gateway
 *    answers with the original charge instead of making a second one.
 * 2. Call the gateway outside any transaction. A decline, and Stripe's refusal of the charge
 *    request, come back as a failed result carrying the reason; no answer (5xx, timeout, rate
 *    limit) throws a retryable GatewayError and leaves the payment pending under its key.
 * 3. In a transaction: apply the result to the payment, the invoice and the subscription.
 * A new attempt clears the invoice's next_payment_attempt_at in step 1; `dueBy` (the retry
 * schedule) attempts only an invoice still due by then, checked under the lock. An amount owed
 * below the currency's minimum charge (a credit note reduced it) is never sent to the gateway:
 * step 1 settles it by carrying it to the customer's balance instead (carryBelowMinimum).
 */
export async function attemptInvoicePayment(
  ctx: ServiceContext,
  invoiceId: string,
  opts: { includeUncollectible?: boolean; dueBy?: Date; paymentMethodId?: string } = {},
): Promise<AttemptResult> {
  const customerGatewayId = await gatewayCustomerFor(ctx, invoiceId);
  const prepared = await ctx.db.transaction(async (tx): Promise<{ invoice: InvoiceRow; payment: PaymentRow | null; settled?: AttemptResult }> => {
    const invoice = await lockInvoice(tx, invoiceId);
    if (!invoice) throw notFound("invoice", "invoice");
    // Written-off invoices are charged only when someone asks (POST /invoices/{id}/pay), never by retries.
    const chargeable = invoice.status === "open" || (opts.includeUncollectible === true && invoice.status === "uncollectible");
    if (!chargeable) return { invoice, payment: null };
    if (opts.dueBy && !(invoice.nextPaymentAttemptAt && invoice.nextPaymentAttemptAt <= opts.dueBy)) return { invoice, payment: null };
    const [pending] = await tx
      .select()
      .from(payments)
      .where(and(eq(payments.invoiceId, invoice.id), eq(payments.status, "pending")))
      .orderBy(desc(payments.attempt))
      .limit(1);
    if (pending) return { invoice, payment: pending };
    const customer = await findCustomer(tx, invoice.customerId);
    if (!customer) throw notFound("customer");
    const carriedAt = await customerNow(tx, customer, ctx.now);
    const carried = await carryBelowMinimum(tx, ctx.actor, invoice, carriedAt, ctx.requestId);
    if (carried) {
      // Settled like a payment: the subscription comes back and dunning ends as it would.
      const subscription = await activateSubscriptionOnPayment(tx, ctx.actor, carried, carriedAt);
      await restoreCustomerIfSettled(tx, ctx.actor, invoice.customerId, carriedAt, invoice.id);
      return { invoice: carried, payment: null, settled: { invoice: carried, payment: null, subscription, carried: invoice.amountRemaining } };
    }
    // Another of the customer's saved cards when the customer picked one, the default otherwise.
    const methodId = opts.paymentMethodId ?? customer.defaultPaymentMethodId;
    const method = methodId ? await findPaymentMethod(tx, methodId) : undefined;
    if (opts.paymentMethodId && (!method || method.customerId !== customer.id || method.detachedAt)) throw notFound("payment method", "payment_method");
    if (!method || method.detachedAt) {
      throw new AppError("validation_failed", { param: "payment_method", userMessage: "The customer has no payment method to charge." });
    }
    const [last] = await tx.select({ attempt: payments.attempt }).from(payments).where(eq(payments.invoiceId, invoice.id)).orderBy(desc(payments.attempt)).limit(1);
    const attempt = (last?.attempt ?? 0) + 1;
    // A customer on a test clock lives in the clock's time: the payment is created then, like its settlement.
    const asOf = await customerNow(tx, customer, ctx.now);
    const [payment] = await tx
      .insert(payments)
      .values({
        id: newId("payment"),
        invoiceId: invoice.id,
        customerId: invoice.customerId,
        amount: invoice.amountRemaining,
        currency: invoice.currency,
        status: "pending",
        paymentMethodId: method.id,
        gateway: method.gateway,
        idempotencyKey: chargeIdempotencyKey(invoice.id, attempt),
        attempt,
        livemode: invoice.livemode,
        createdAt: asOf,
      })
      .returning();
    if (!payment) throw new Error("payment insert returned nothing");
    if (invoice.nextPaymentAttemptAt) await tx.update(invoices).set({ nextPaymentAttemptAt: null }).where(eq(invoices.id, invoice.id));
    return { invoice, payment };
  });

  const { payment } = prepared;
  if (prepared.settled) return prepared.settled;
  if (!payment || payment.status !== "pending") {
    return { invoice: prepared.invoice, payment, subscription: null };
  }
  const method = await findPaymentMethod(ctx.db, payment.paymentMethodId ?? "");
  if (!method) throw notFound("payment method");
  const result = await gateway().charge({
    amount: payment.amount,
    currency: payment.currency,
    paymentMethodGatewayId: method.gatewayId,
    customerId: payment.customerId,
    customerGatewayId,
    idempotencyKey: payment.idempotencyKey,
    metadata: { invoice_id: payment.invoiceId, payment_id: payment.id },
  });
  return applyChargeResult(ctx, payment.id, result);
}

/** The gateway id of the invoice's customer, made on first use (before any payment is recorded). */
async function gatewayCustomerFor(ctx: ServiceContext, invoiceId: string): Promise<string | null> {
  const invoice = await findInvoice(ctx.db, invoiceId);
  if (!invoice) throw notFound("invoice", "invoice");
  // Nothing will be charged for a paid, void or draft invoice (checked again under the lock).
  if (invoice.status !== "open" && invoice.status !== "uncollectible") return null;
  const customer = await findCustomer(ctx.db, invoice.customerId);
  if (!customer) throw notFound("customer");
  return gatewayCustomerId(ctx.db, customer);
}

/** Apply a gateway answer exactly once (a batch of one: settleCharges): a payment that is no longer pending is left as it is. */
export async function applyChargeResult(ctx: ServiceContext, paymentId: string, result: ChargeResult): Promise<AttemptResult> {
  const [outcome] = await ctx.db.transaction((tx) => settleCharges(tx, ctx, [{ paymentId, result }]));
  if (!outcome) throw notFound("payment");
  return outcome;
}
