import { GatewayError } from "../gateway-error";
import { stripeCall } from "./call";
import type { StripeDeps } from "./deps";

/**
 * Detach a saved card from its Stripe customer, under a stable key: a retry replays the same
 * answer. A card Stripe no longer has attached (detached already, or deleted) counts as done.
 */
export async function detachPaymentMethod(deps: StripeDeps, input: { gatewayId: string; idempotencyKey: string }): Promise<void> {
  try {
    await stripeCall(
      deps,
      "write",
      input.idempotencyKey,
      () => deps.stripe().paymentMethods.detach(input.gatewayId, {}, { idempotencyKey: input.idempotencyKey }),
      "remove the card",
    );
  } catch (error) {
    if (error instanceof GatewayError && error.failure === "refused" && isGoneAlready(error)) return;
    throw error;
  }
}

function isGoneAlready(error: GatewayError): boolean {
  const { code, message } = error.details;
  return code === "resource_missing" || code === "payment_method_unexpected_state" || /not attached/i.test(message);
}
