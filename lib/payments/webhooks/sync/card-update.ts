import { updateGatewayCardDetails } from "@/lib/services/payment-methods/sync-gateway-payment-method";
import { findActivePaymentMethodByGatewayId } from "../lookup";
import { objectOf, paymentMethodObject } from "../objects";
import { defineHandler, type WebhookHandler } from "../types";
import { eventTime, lastCardChange } from "./payment-method";

/**
 * Card updates carry the whole card as of the event's time; an update older than the last one
 * applied (two updates delivered in reverse) is ignored, so the newest details win in any order.
 */
export function cardUpdateHandler(source: "api" | "network"): WebhookHandler {
  return defineHandler({
    async apply(ctx, event) {
      const pm = objectOf(event, paymentMethodObject);
      if (!pm.card) return { ignored: "not a card" };
      const method = await findActivePaymentMethodByGatewayId(ctx.db, pm.id, { lock: true });
      if (!method) return { ignored: "no saved Tally payment method with this gateway id" };
      const at = eventTime(event);
      const last = await lastCardChange(ctx.db, method.id);
      if (last && last.getTime() > at.getTime()) return { ignored: "a newer card update was already applied" };
      const card = { brand: pm.card.brand, last4: pm.card.last4, expMonth: pm.card.exp_month, expYear: pm.card.exp_year, fingerprint: pm.card.fingerprint ?? null };
      await updateGatewayCardDetails(ctx, method, card, at, source);
    },
  });
}
