import { and, desc, eq, isNull, ne } from "drizzle-orm";
import { customers, paymentMethods } from "@/db/schema";
import { lockCustomer, type PaymentMethodRow } from "@/db/queries/customers";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { newId } from "@/lib/ids";
import type { CardDetails } from "@/lib/payments/port";
import type { ServiceContext } from "../context";

/**
 * Payment methods the gateway already holds — saved through a SetupIntent in the browser, attached
 * or detached in the Stripe dashboard, or updated by the card network — mirrored into Tally. Unlike
 * attachPaymentMethod these never call the gateway (the change already happened there) and run in
 * the caller's transaction (`ctx.db`), keyed by the gateway id so a second report changes nothing.
 */

/** Save a card the gateway already attached, unless Tally has it. The first card becomes the default. */
export async function recordGatewayPaymentMethod(
  ctx: ServiceContext,
  input: { customerId: string; gateway: "sandbox" | "stripe"; card: CardDetails },
): Promise<{ method: PaymentMethodRow; created: boolean } | null> {
  const customer = await lockCustomer(ctx.db, input.customerId);
  if (!customer) return null;
  // Under the customer's lock: a concurrent report of the same card waits here and then finds it.
  const [known] = await ctx.db
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.customerId, customer.id), eq(paymentMethods.gatewayId, input.card.gatewayId), isNull(paymentMethods.detachedAt)))
    .limit(1);
  if (known) return { method: known, created: false };
  const [row] = await ctx.db
    .insert(paymentMethods)
    .values({
      id: newId("paymentMethod"),
      customerId: customer.id,
      brand: input.card.brand,
      last4: input.card.last4,
      expMonth: input.card.expMonth,
      expYear: input.card.expYear,
      fingerprint: input.card.fingerprint,
      gateway: input.gateway,
      gatewayId: input.card.gatewayId,
      createdAt: ctx.now,
    })
    .returning();
  if (!row) throw new Error("payment method insert returned nothing");
  if (!customer.defaultPaymentMethodId) {
    await ctx.db.update(customers).set({ defaultPaymentMethodId: row.id }).where(eq(customers.id, customer.id));
    // After commit, the new default card pays what is owed (lib/services/notifications/handle-outbox-event.ts).
    await enqueueEvent(ctx.db, { type: "customer.default_payment_method.updated", customerId: customer.id, entityId: row.id, payload: { payment_method: row.id } }, ctx.now);
  }
  const { gatewayId: _gatewayId, ...visible } = row;
  await recordAudit(ctx.db, ctx.actor, { action: "payment_method.attached", entityType: "payment_method", entityId: row.id, after: visible }, ctx.now, ctx.requestId);
  await enqueueEvent(ctx.db, { type: "payment_method.attached", customerId: customer.id, entityId: row.id, payload: { payment_method: row.id, source: "gateway" } }, ctx.now);
  return { method: row, created: true };
}

/** The gateway detached a card: detach it here too (the most recent other card becomes the default). */
export async function markGatewayPaymentMethodDetached(ctx: ServiceContext, method: PaymentMethodRow): Promise<PaymentMethodRow> {
  const customer = await lockCustomer(ctx.db, method.customerId);
  const [detached] = await ctx.db
    .update(paymentMethods)
    // Detached at the gateway already: that is where this news comes from.
    .set({ detachedAt: ctx.now, gatewayDetachedAt: ctx.now })
    .where(and(eq(paymentMethods.id, method.id), isNull(paymentMethods.detachedAt)))
    .returning();
  if (!detached) return method;
  if (customer?.defaultPaymentMethodId === method.id) {
    const [next] = await ctx.db
      .select({ id: paymentMethods.id })
      .from(paymentMethods)
      .where(and(eq(paymentMethods.customerId, method.customerId), isNull(paymentMethods.detachedAt), ne(paymentMethods.id, method.id)))
      .orderBy(desc(paymentMethods.createdAt))
      .limit(1);
    await ctx.db.update(customers).set({ defaultPaymentMethodId: next?.id ?? null }).where(eq(customers.id, method.customerId));
  }
  await recordAudit(ctx.db, ctx.actor, { action: "payment_method.detached", entityType: "payment_method", entityId: method.id, before: { detached: false }, after: { detached: true, source: "gateway" } }, ctx.now, ctx.requestId);
  await enqueueEvent(ctx.db, { type: "payment_method.detached", customerId: method.customerId, entityId: method.id, payload: { payment_method: method.id, source: "gateway" } }, ctx.now);
  return detached;
}

export type CardUpdate = Pick<CardDetails, "brand" | "last4" | "expMonth" | "expYear"> & { fingerprint: string | null };

/**
 * New card details from the gateway (a new expiry from the network's account updater, a reissued
 * number). `changedAt` is the gateway's time for this version; it is recorded on the audit entry
 * so a caller can tell an older report from a newer one.
 */
export async function updateGatewayCardDetails(ctx: ServiceContext, method: PaymentMethodRow, card: CardUpdate, changedAt: Date, source: string): Promise<PaymentMethodRow> {
  const next = { brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear, fingerprint: card.fingerprint ?? method.fingerprint };
  const before = { brand: method.brand, last4: method.last4, expMonth: method.expMonth, expYear: method.expYear, fingerprint: method.fingerprint };
  if (JSON.stringify(before) === JSON.stringify(next)) return method;
  const [updated] = await ctx.db.update(paymentMethods).set(next).where(eq(paymentMethods.id, method.id)).returning();
  if (!updated) throw new Error("payment method vanished");
  await recordAudit(
    ctx.db,
    ctx.actor,
    { action: "payment_method.card_updated", entityType: "payment_method", entityId: method.id, before, after: { ...next, source, changed_at: changedAt.toISOString() } },
    ctx.now,
    ctx.requestId,
  );
  await enqueueEvent(ctx.db, { type: "payment_method.updated", customerId: method.customerId, entityId: method.id, payload: { payment_method: method.id, source } }, ctx.now);
  return updated;
}
