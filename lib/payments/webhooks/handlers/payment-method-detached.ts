import { markGatewayPaymentMethodDetached } from "@/lib/services/payment-methods/sync-gateway-payment-method";
import { findActivePaymentMethodByGatewayId } from "../lookup";
import { objectOf, paymentMethodObject } from "../objects";
import { defineHandler } from "../types";

/**
 * `payment_method.detached`: the card is gone at the gateway, so Tally stops charging it (the most
 * recent other card becomes the default). A later `attached` for it is ignored (sync/payment-method.ts).
 */
export const paymentMethodDetached = defineHandler({
  async apply(ctx, event) {
    const pm = objectOf(event, paymentMethodObject);
    const method = await findActivePaymentMethodByGatewayId(ctx.db, pm.id, { lock: true });
    if (!method) return { ignored: "no saved Tally payment method with this gateway id" };
    await markGatewayPaymentMethodDetached(ctx, method);
  },
});
