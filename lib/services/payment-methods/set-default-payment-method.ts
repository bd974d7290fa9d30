import { eq } from "drizzle-orm";
import { customers } from "@/db/schema";
import { findPaymentMethod, lockCustomer, type CustomerRow, type PaymentMethodRow } from "@/db/queries/customers";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { retryOpenInvoices } from "../payments/retries/retry-open-invoices";
import { retriedInvoice, type RetriedInvoice } from "./add-card";

export interface SetDefaultResult {
  customer: CustomerRow;
  method: PaymentMethodRow;
  /** False when the card already was the default (nothing changed, nothing charged). */
  changed: boolean;
  /** The customer's open invoices the card was charged for at once, oldest first. */
  invoices: RetriedInvoice[];
}

/**
 * Make one of the customer's saved cards the default. Scoped to the customer: a card of another
 * customer is "not found", like an unknown one. A new default charges the open invoices at once,
 * after the change committed.
 */
export async function setDefaultPaymentMethod(ctx: ServiceContext, input: { customerId: string; paymentMethodId: string }): Promise<SetDefaultResult> {
  const result = await ctx.db.transaction(async (tx) => {
    const customer = await lockCustomer(tx, input.customerId);
    if (!customer) throw notFound("customer", "customer");
    const method = await findPaymentMethod(tx, input.paymentMethodId);
    if (!method || method.customerId !== customer.id || method.detachedAt) throw notFound("payment method", "payment_method");
    if (customer.defaultPaymentMethodId === method.id) return { customer, method, changed: false };
    const [after] = await tx.update(customers).set({ defaultPaymentMethodId: method.id }).where(eq(customers.id, customer.id)).returning();
    if (!after) throw new Error("customer vanished");
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: "customer.default_payment_method_changed",
        entityType: "customer",
        entityId: customer.id,
        before: { default_payment_method: customer.defaultPaymentMethodId },
        after: { default_payment_method: method.id },
      },
      ctx.now,
      ctx.requestId,
    );
    await enqueueEvent(tx, { type: "customer.updated", customerId: customer.id, entityId: customer.id, payload: { customer: customer.id } }, ctx.now);
    return { customer: after, method, changed: true };
  });
  if (!result.changed) return { ...result, invoices: [] };
  const retried = await retryOpenInvoices(ctx, input.customerId);
  return { ...result, invoices: retried.filter((r) => r.payment !== null).map((r) => retriedInvoice(r, ctx.now)) };
}
