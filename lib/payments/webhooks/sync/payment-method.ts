import { and, desc, eq, sql } from "drizzle-orm";
import type { Db, Executor } from "@/db/client";
import { auditLog, paymentMethods, stripeEvents } from "@/db/schema";
import type { CustomerRow } from "@/db/queries/customers";
import { AppError } from "@/lib/errors";
import { gateway } from "@/lib/payments";
import type { CardDetails } from "@/lib/payments/port";
import type { ServiceContext } from "@/lib/services/context";
import { recordGatewayPaymentMethod } from "@/lib/services/payment-methods/sync-gateway-payment-method";
import { findActivePaymentMethodByGatewayId, findCustomerForGateway } from "../lookup";
import { refId, type PaymentMethodObject } from "../objects";
import type { HandlerOutcome, WebhookEvent } from "../types";

export interface CardToRecord {
  customer: Pick<CustomerRow, "id"> | null;
  card: CardDetails | null;
  /** Why nothing is recorded, when it is not. */
  skip?: string;
}

/** The card details of a PaymentMethod object, keyed by its gateway id. */
export function cardFromObject(pm: PaymentMethodObject): CardDetails | null {
  if (!pm.card) return null;
  return {
    gatewayId: pm.id,
    brand: pm.card.brand,
    last4: pm.card.last4,
    expMonth: pm.card.exp_month,
    expYear: pm.card.exp_year,
    fingerprint: pm.card.fingerprint ?? pm.id,
  };
}

/**
 * Find what to record for a card the gateway attached (SetupIntent succeeded, or attached in the
 * dashboard). Outside any transaction: when the event carries only the PaymentMethod's id, the
 * gateway is asked for its details (Stripe answers for an already-attached method with the same id).
 */
export async function loadCardToRecord(
  db: Db,
  ref: { paymentMethod: string | PaymentMethodObject; gatewayCustomerId: string | null; metadataCustomerId?: string | null },
): Promise<CardToRecord> {
  const pmId = typeof ref.paymentMethod === "string" ? ref.paymentMethod : ref.paymentMethod.id;
  const gatewayCustomerId = ref.gatewayCustomerId ?? (typeof ref.paymentMethod === "string" ? null : refId(ref.paymentMethod.customer));
  const customer = await findCustomerForGateway(db, { gatewayCustomerId, metadataCustomerId: ref.metadataCustomerId });
  if (!customer) return { customer: null, card: null, skip: "no Tally customer for this gateway customer" };
  if (await findActivePaymentMethodByGatewayId(db, pmId)) return { customer, card: null, skip: "the payment method is already saved" };
  if (await wasDetached(db, pmId)) return { customer, card: null, skip: "the payment method was detached at the gateway" };
  const fromEvent = typeof ref.paymentMethod === "string" ? null : cardFromObject(ref.paymentMethod);
  if (fromEvent) return { customer, card: fromEvent };
  if (!customer.gatewayCustomerId && gateway().name === "stripe") return { customer, card: null, skip: "the customer has no Stripe customer id" };
  try {
    const card = await gateway().attachPaymentMethod({ customerId: customer.id, customerGatewayId: customer.gatewayCustomerId, token: pmId });
    // The gateway's id for the method is the one the event named (the sandbox mints a suffixed copy).
    return { customer, card: { ...card, gatewayId: pmId } };
  } catch (error) {
    // Refused (a bad or unusable card, a rate limit): skip it; the gateway down or our own failure: retry the event.
    if (error instanceof AppError && error.code !== "unavailable" && error.code !== "internal") return { customer, card: null, skip: `the gateway refused the payment method: ${error.userMessage}` };
    throw error;
  }
}

export async function applyCardToRecord(ctx: ServiceContext, loaded: CardToRecord): Promise<HandlerOutcome> {
  if (!loaded.customer || !loaded.card) return { ignored: loaded.skip ?? "nothing to record" };
  const recorded = await recordGatewayPaymentMethod(ctx, { customerId: loaded.customer.id, gateway: gateway().name, card: loaded.card });
  if (!recorded) return { ignored: "the customer no longer exists" };
  if (!recorded.created) return { ignored: "the payment method is already saved" };
}

/**
 * A detached PaymentMethod can never be attached again (Stripe), so a late `attached` or
 * `setup_intent.succeeded` for it must not bring it back: Tally's detached row, or a processed
 * `payment_method.detached` event for a method Tally never saved, says so.
 */
async function wasDetached(db: Executor, pmId: string): Promise<boolean> {
  const [row] = await db.select({ id: paymentMethods.id }).from(paymentMethods).where(and(eq(paymentMethods.gatewayId, pmId), sql`${paymentMethods.detachedAt} is not null`)).limit(1);
  if (row) return true;
  const [event] = await db
    .select({ id: stripeEvents.id })
    .from(stripeEvents)
    .where(and(eq(stripeEvents.type, "payment_method.detached"), sql`${stripeEvents.processedAt} is not null`, sql`${stripeEvents.payload}->'data'->'object'->>'id' = ${pmId}`))
    .limit(1);
  return !!event;
}

/** The gateway time of the newest card update already applied to this method, if any. */
export async function lastCardChange(tx: Executor, paymentMethodId: string): Promise<Date | null> {
  const [row] = await tx
    .select({ changedAt: sql<string | null>`${auditLog.after}->>'changed_at'` })
    .from(auditLog)
    .where(and(eq(auditLog.entityType, "payment_method"), eq(auditLog.entityId, paymentMethodId), eq(auditLog.action, "payment_method.card_updated")))
    .orderBy(desc(sql`${auditLog.after}->>'changed_at'`))
    .limit(1);
  return row?.changedAt ? new Date(row.changedAt) : null;
}

export function eventTime(event: WebhookEvent): Date {
  return new Date(event.created * 1000);
}
