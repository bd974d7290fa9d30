import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { findCustomerForGateway } from "../lookup";
import { objectOf, refId, setupIntentObject } from "../objects";
import { defineHandler } from "../types";

/**
 * `setup_intent.setup_failed`: saving a card failed (declined, authentication failed). Nothing to
 * change; the customer's timeline and staff see why (audit entry, `payment_method.setup_failed`).
 */
export const setupIntentSetupFailed = defineHandler({
  async apply(ctx, event) {
    const intent = objectOf(event, setupIntentObject);
    const customer = await findCustomerForGateway(ctx.db, { gatewayCustomerId: refId(intent.customer), metadataCustomerId: intent.metadata.customer_id });
    if (!customer) return { ignored: "no Tally customer for this gateway customer" };
    const error = { setup_intent: intent.id, code: intent.last_setup_error?.code ?? null, decline_code: intent.last_setup_error?.decline_code ?? null, message: intent.last_setup_error?.message ?? null };
    await recordAudit(ctx.db, ctx.actor, { action: "payment_method.setup_failed", entityType: "customer", entityId: customer.id, after: error }, ctx.now, ctx.requestId);
    await enqueueEvent(ctx.db, { type: "payment_method.setup_failed", customerId: customer.id, entityId: customer.id, payload: error }, ctx.now);
  },
});
