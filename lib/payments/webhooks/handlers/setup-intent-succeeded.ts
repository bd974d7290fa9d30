import { applyCardToRecord, loadCardToRecord, type CardToRecord } from "../sync/payment-method";
import { objectOf, refId, setupIntentObject } from "../objects";
import { defineHandler } from "../types";

/**
 * `setup_intent.succeeded`: a card saved in the browser (Payment Element). Tally records the
 * PaymentMethod unless it already has it — the portal usually saved it first; this covers a browser
 * closed before it could.
 */
export const setupIntentSucceeded = defineHandler<CardToRecord>({
  async load(db, event) {
    const intent = objectOf(event, setupIntentObject);
    if (!intent.payment_method) return { customer: null, card: null, skip: "the SetupIntent has no payment method" };
    return loadCardToRecord(db, { paymentMethod: intent.payment_method, gatewayCustomerId: refId(intent.customer), metadataCustomerId: intent.metadata.customer_id });
  },
  apply: (ctx, _event, loaded) => applyCardToRecord(ctx, loaded),
});
