import { and, asc, eq, isNotNull, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { paymentMethods } from "@/db/schema";
import type { PaymentMethodRow } from "@/db/queries/customers";
import { systemActor } from "@/lib/actor";
import { recordAudit } from "@/lib/audit/record";
import { gateway } from "@/lib/payments";
import type { ServiceContext } from "../context";

/** The idempotency key of detaching one saved card at the gateway: stable, so a retry is the same call. */
export function detachIdempotencyKey(paymentMethodId: string): string {
  return `pm_${paymentMethodId}_detach`;
}

export type GatewayDetach = "detached" | "done_already" | "other_gateway";

/**
 * A card removed in Tally (the portal, the console, `DELETE /payment_methods/{id}`, account
 * deletion, Stripe's own `payment_method.detached`) is detached at the gateway too, after the
 * removal committed: Stripe `POST /v1/payment_methods/{id}/detach` under `pm_<id>_detach`, so a
 * retry replays instead of acting twice, and a card Stripe no longer has attached counts as done.
 * Recorded once on the card (`gateway_detached_at`) and in the audit log. A gateway that refuses or
 * does not answer throws: the card stays on the janitor's list (detachDueCards) and is tried again.
 */
export async function detachCardAtGateway(ctx: ServiceContext, method: PaymentMethodRow): Promise<GatewayDetach> {
  if (method.gatewayDetachedAt) return "done_already";
  const gw = gateway();
  // Saved with another gateway (the sandbox before Stripe was configured): this one cannot detach it.
  if (method.gateway !== gw.name) return "other_gateway";
  const idempotencyKey = detachIdempotencyKey(method.id);
  await gw.detachPaymentMethod({ gatewayId: method.gatewayId, idempotencyKey });
  return ctx.db.transaction(async (tx) => {
    const [marked] = await tx
      .update(paymentMethods)
      .set({ gatewayDetachedAt: ctx.now })
      .where(and(eq(paymentMethods.id, method.id), isNull(paymentMethods.gatewayDetachedAt)))
      .returning({ id: paymentMethods.id });
    if (!marked) return "done_already";
    await recordAudit(
      tx,
      ctx.actor,
      { action: "payment_method.gateway_detached", entityType: "payment_method", entityId: method.id, before: { attached_at_gateway: true }, after: { attached_at_gateway: false, gateway: gw.name, idempotency_key: idempotencyKey } },
      ctx.now,
      ctx.requestId,
    );
    return "detached";
  });
}

/** Detach one removed card by id, now (the outbox handler of `payment_method.detached`). */
export async function detachRemovedCard(db: Db, paymentMethodId: string, now: Date): Promise<GatewayDetach | null> {
  const [method] = await db.select().from(paymentMethods).where(eq(paymentMethods.id, paymentMethodId));
  if (!method?.detachedAt) return null;
  return detachCardAtGateway({ db, actor: systemActor("gateway-sync"), now }, method);
}

/**
 * The janitor's part for cards: every card removed in Tally but not yet detached at the gateway
 * in use (Stripe was down, the process stopped after the removal committed), oldest first.
 */
export async function detachDueCards(db: Db, now: Date, limit = 100): Promise<{ detached: number; errors: { paymentMethodId: string; message: string }[] }> {
  const gw = gateway();
  const due = await db
    .select()
    .from(paymentMethods)
    .where(and(isNotNull(paymentMethods.detachedAt), isNull(paymentMethods.gatewayDetachedAt), eq(paymentMethods.gateway, gw.name)))
    .orderBy(asc(paymentMethods.detachedAt), asc(paymentMethods.id))
    .limit(limit);
  const ctx: ServiceContext = { db, actor: systemActor("gateway-sync"), now };
  const errors: { paymentMethodId: string; message: string }[] = [];
  let detached = 0;
  for (const method of due) {
    try {
      if ((await detachCardAtGateway(ctx, method)) === "detached") detached += 1;
    } catch (error) {
      errors.push({ paymentMethodId: method.id, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { detached, errors };
}
