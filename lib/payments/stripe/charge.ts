import type Stripe from "stripe";
import type { ChargeRequest } from "../port";
import { asStripeError, stripeCall } from "./call";
import type { StripeDeps } from "./deps";
import { cardErrorToResult, INTENT_EXPAND, intentToResult, type StripeChargeResult } from "./map-intent";

/**
 * An off-session PaymentIntent, confirmed at once, under the caller's idempotency key
 * (`inv_<invoice>_attempt_<n>`): the SDK's own retries, our 429 retries and a later attempt after a
 * crash all send the same key, so Stripe replays the first answer instead of charging again.
 * Declines and authentication come back as results; anything else (5xx after the SDK's retries,
 * timeouts) throws and leaves Tally's payment pending for the next attempt or reconciliation.
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
    const intent = await stripeCall(deps, "write", request.idempotencyKey, () =>
      deps.stripe().paymentIntents.create(params, { idempotencyKey: request.idempotencyKey }),
    );
    return await intentToResult(deps, intent);
  } catch (error) {
    const e = asStripeError(error);
    const result = e ? cardErrorToResult(e) : null;
    if (result) return result;
    throw error;
  }
}
