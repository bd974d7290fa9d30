import { defineHandler } from "../types";
import { paymentIntentHandler } from "../sync/payment-intent";

/**
 * `payment_intent.payment_failed`. The charge was declined: the attempt is recorded as failed unless the gateway now says otherwise.
 * Order matters, so the handler re-reads the charge from the gateway and applies its current answer.
 */
export const paymentIntentPaymentFailed = defineHandler(paymentIntentHandler());
