import type Stripe from "stripe";
import { GatewayError } from "../gateway-error";
import type { ChargeRequest } from "../port";
import { stripeCall, stripeErrorOf } from "./call";
import type { StripeDeps } from "./deps";
import { cardErrorToResult, INTENT_EXPAND, intentToResult, refusalToResult, type StripeChargeResult } from "./map-intent";

/**
 * An off-session PaymentIntent, confirmed at once, under the caller's idempotency key
 * (`inv_<invoice>_attempt_<n>`): the SDK's own retries, our 429 retries and a later attempt after a
 * crash all send the same key, so Stripe replays the first answer instead of charging again.
 * Declines, authentication and Stripe's refusal of the request (invalid_request_error) come back
 * as results; anything retryable (5xx after the SDK's retries, timeouts, rate limits) throws and
 * leaves Tally's payment pending for the next attempt or reconciliation.
 */
export async function charge(deps: StripeDeps, request: ChargeRequest): Promise<StripeChargeResult> {
  const params: Stripe.PaymentIntentCreateParams = {
    amount: request.amount,
    currency: request.currency,
    customer: request.customerGatewayId ?? undefined,
    payment_method: request.paymentMethodGatewayId,
    // Off-session cards only: no redirect-based method, so no return_url is needed.
    automatic_payment_methods: { enabled: true, allow_redirects: "never" },
    off_session: true,
    confirm: true,
    metadata: request.metadata,
    expand: INTENT_EXPAND,
  };
  try {
    const intent = await stripeCall(
      deps,
      "write",
      request.idempotencyKey,
      () => deps.stripe().paymentIntents.create(params, { idempotencyKey: request.idempotencyKey }),
      "charge the card",
    );
    return await intentToResult(deps, intent);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    const e = stripeErrorOf(error);
    const result = error.failure === "declined" && e ? cardErrorToResult(e) : error.failure === "refused" ? refusalToResult(error) : null;
    if (result) return result;
    throw error;
  }
}
