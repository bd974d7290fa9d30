import { and, desc, eq, isNull, ne } from "drizzle-orm";
import { customers, paymentMethods } from "@/db/schema";
import { findPaymentMethod, lockCustomer, type PaymentMethodRow } from "@/db/queries/customers";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";

/**
 * Detach a saved card. If it was the default, the most recent other card becomes the default (or
 * none: automatic payments then fail until a card is added, which the portal says before removal).
 */
export async function detachPaymentMethod(ctx: ServiceContext, paymentMethodId: string, scope?: { livemode: boolean }): Promise<PaymentMethodRow> {
  return ctx.db.transaction(async (tx) => {
    const method = await findPaymentMethod(tx, paymentMethodId);
    if (!method || method.detachedAt) throw notFound("payment method", "id");
    const customer = await lockCustomer(tx, method.customerId);
    if (!customer || (scope && customer.livemode !== scope.livemode)) throw notFound("payment method", "id");
    const [detached] = await tx.update(paymentMethods).set({ detachedAt: ctx.now }).where(eq(paymentMethods.id, method.id)).returning();
    if (!detached) throw new Error("payment method vanished");
    if (customer.defaultPaymentMethodId === method.id) {
      const [next] = await tx
        .select({ id: paymentMethods.id })
        .from(paymentMethods)
        .where(and(eq(paymentMethods.customerId, customer.id), isNull(paymentMethods.detachedAt), ne(paymentMethods.id, method.id)))
        .orderBy(desc(paymentMethods.createdAt), desc(paymentMethods.id))
        .limit(1);
      await tx.update(customers).set({ defaultPaymentMethodId: next?.id ?? null }).where(eq(customers.id, customer.id));
    }
    await recordAudit(tx, ctx.actor, { action: "payment_method.detached", entityType: "payment_method", entityId: method.id, before: { detached: false }, after: { detached: true } }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "payment_method.detached", customerId: customer.id, entityId: method.id, payload: { payment_method: method.id } }, ctx.now);
    return detached;
  });
}
