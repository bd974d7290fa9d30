import { defineHandler } from "../types";
import { paymentIntentHandler } from "../sync/payment-intent";

/**
 * `payment_intent.succeeded`. The charge succeeded (possibly after authentication): the invoice is paid and its subscription activated, once.
 * Order matters, so the handler re-reads the charge from the gateway and applies its current answer.
 */
export const paymentIntentSucceeded = defineHandler(paymentIntentHandler());
