import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { customers, paymentMethods, payments } from "@/db/schema";
import type { PaymentRow } from "@/db/queries/payments";

/**
 * The Tally payment behind a gateway charge: by the `payment_id` Tally put in the charge's metadata
 * (it is there from the first request, before the gateway answered), else by the gateway id.
 */
export async function findPaymentForGateway(
  tx: Executor,
  ref: { paymentIntentId: string | null; metadataPaymentId?: string | null },
  opts: { lock?: boolean } = {},
): Promise<PaymentRow | undefined> {
  const byId = ref.metadataPaymentId ? eq(payments.id, ref.metadataPaymentId) : undefined;
  if (byId) {
    const query = tx.select().from(payments).where(byId);
    const [row] = opts.lock ? await query.for("update") : await query;
    // The metadata names our payment; a recorded gateway id that differs means it is not this charge.
    if (row && (!row.gatewayId || !ref.paymentIntentId || row.gatewayId === ref.paymentIntentId)) return row;
  }
  if (!ref.paymentIntentId) return undefined;
  const query = tx.select().from(payments).where(eq(payments.gatewayId, ref.paymentIntentId)).limit(1);
  const [row] = opts.lock ? await query.for("update") : await query;
  return row;
}

/** The Tally customer behind a gateway customer (`cus_…`), or named by `metadata.customer_id`. */
export async function findCustomerForGateway(tx: Executor, ref: { gatewayCustomerId: string | null; metadataCustomerId?: string | null }) {
  if (ref.gatewayCustomerId) {
    const [row] = await tx.select().from(customers).where(eq(customers.gatewayCustomerId, ref.gatewayCustomerId)).limit(1);
    if (row) return row;
  }
  if (ref.metadataCustomerId) {
    const [row] = await tx.select().from(customers).where(eq(customers.id, ref.metadataCustomerId));
    if (row && (!ref.gatewayCustomerId || !row.gatewayCustomerId || row.gatewayCustomerId === ref.gatewayCustomerId)) return row;
  }
  return undefined;
}

/** A saved (not detached) payment method by its gateway id. */
export async function findActivePaymentMethodByGatewayId(tx: Executor, gatewayId: string, opts: { lock?: boolean } = {}) {
  const query = tx
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.gatewayId, gatewayId), isNull(paymentMethods.detachedAt)))
    .limit(1);
  const [row] = opts.lock ? await query.for("update") : await query;
  return row;
}
