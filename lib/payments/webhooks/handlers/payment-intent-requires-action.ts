import { defineHandler } from "../types";
import { paymentIntentHandler } from "../sync/payment-intent";

/**
 * `payment_intent.requires_action`. The bank asks the customer to authenticate: the payment waits in requires_action (the SCA email follows from the outbox). Arriving after the success it led to, it changes nothing.
 * Order matters, so the handler re-reads the charge from the gateway and applies its current answer.
 */
export const paymentIntentRequiresAction = defineHandler(paymentIntentHandler());
