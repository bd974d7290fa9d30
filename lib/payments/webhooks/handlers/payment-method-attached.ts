import { applyCardToRecord, loadCardToRecord, type CardToRecord } from "../sync/payment-method";
import { objectOf, paymentMethodObject, refId } from "../objects";
import { defineHandler } from "../types";

/** `payment_method.attached`: a card attached at the gateway (a SetupIntent, the dashboard) is saved in Tally unless it is already. */
export const paymentMethodAttached = defineHandler<CardToRecord>({
  async load(db, event) {
    const pm = objectOf(event, paymentMethodObject);
    return loadCardToRecord(db, { paymentMethod: pm, gatewayCustomerId: refId(pm.customer), metadataCustomerId: pm.metadata.customer_id });
  },
  apply: (ctx, _event, loaded) => applyCardToRecord(ctx, loaded),
});
