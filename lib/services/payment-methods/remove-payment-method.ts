import { listPaymentMethods, lockCustomer, type PaymentMethodRow } from "@/db/queries/customers";
import { listLiveSubscriptions } from "@/db/queries/subscriptions";
import { AppError, notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { detachPaymentMethod } from "./detach-payment-method";
import { removalEffect, type RemovalEffect } from "./removal-policy";

/**
 * The customer removes one of their own cards (lib/services/payment-methods/removal-policy.ts says
 * what that does). Decided under the customer's lock, so two removals at once cannot together
 * take away the last card a subscription needs.
 */
export async function removePaymentMethod(
  ctx: ServiceContext,
  input: { customerId: string; paymentMethodId: string },
): Promise<{ removed: PaymentMethodRow; effect: RemovalEffect }> {
  return ctx.db.transaction(async (tx) => {
    const customer = await lockCustomer(tx, input.customerId);
    if (!customer) throw notFound("customer", "customer");
    const cards = await listPaymentMethods(tx, customer.id);
    const subscriptions = await listLiveSubscriptions(tx, customer.id);
    if (!cards.some((c) => c.id === input.paymentMethodId)) throw notFound("payment method", "payment_method");
    const effect = removalEffect({ target: input.paymentMethodId, cards, defaultId: customer.defaultPaymentMethodId, subscriptions });
    if (effect.kind === "last_card_in_use") {
      throw new AppError("conflict", {
        param: "payment_method",
        userMessage: "This is your only card and your subscription renews with it. Add another card first, then remove this one.",
      });
    }
    const removed = await detachPaymentMethod({ ...ctx, db: tx }, input.paymentMethodId);
    return { removed, effect };
  });
}
