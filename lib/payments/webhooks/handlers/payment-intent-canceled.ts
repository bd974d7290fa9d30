import { defineHandler } from "../types";
import { paymentIntentHandler } from "../sync/payment-intent";

/**
 * `payment_intent.canceled`. The PaymentIntent was canceled: an attempt still in flight is recorded as failed.
 * Order matters, so the handler re-reads the charge from the gateway and applies its current answer.
 */
export const paymentIntentCanceled = defineHandler(paymentIntentHandler());
