import type Stripe from "stripe";
import { GatewayError } from "../gateway-error";
import { stripeCall } from "./call";
import type { StripeDeps } from "./deps";
import { INTENT_EXPAND, intentToResult, type StripeChargeResult } from "./map-intent";

/** Which intent to believe when a search finds more than one for a payment: the one that moved money. */
const PREFERENCE: Record<string, number> = { succeeded: 0, processing: 1, requires_capture: 1, requires_action: 2, requires_confirmation: 2, requires_payment_method: 3, canceled: 4 };

/**
 * The PaymentIntent behind a payment: by its id when Tally recorded one, otherwise by the
 * `payment_id` metadata every charge carries (Stripe's search; eventually consistent, which is why
 * reconciliation waits before concluding a charge was never made). Null when Stripe has none.
 */
export async function retrieveCharge(
  deps: StripeDeps,
  input: { gatewayId?: string | null; idempotencyKey: string; metadata: Record<string, string> },
): Promise<StripeChargeResult | null> {
  if (input.gatewayId) {
    const id = input.gatewayId;
    try {
      const intent = await stripeCall(deps, "read", null, () => deps.stripe().paymentIntents.retrieve(id, { expand: INTENT_EXPAND }), "look up the payment");
      return await intentToResult(deps, intent);
    } catch (error) {
      if (error instanceof GatewayError && error.failure === "refused" && error.details.code === "resource_missing") return null;
      throw error;
    }
  }
  const query = searchQuery(input.metadata);
  if (!query) return null;
  const found = await stripeCall(
    deps,
    "read",
    null,
    () => deps.stripe().paymentIntents.search({ query, limit: 10, expand: INTENT_EXPAND.map((p) => `data.${p}`) }),
    "look up the payment",
  );
  const best = pickIntent(found.data);
  return best ? intentToResult(deps, best) : null;
}

/** `metadata['payment_id']:'py_…'` (or the invoice id, for charges sent without a payment id). */
function searchQuery(metadata: Record<string, string>): string | null {
  const quote = (v: string) => `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  if (metadata.payment_id) return `metadata['payment_id']:${quote(metadata.payment_id)}`;
  if (metadata.invoice_id) return `metadata['invoice_id']:${quote(metadata.invoice_id)}`;
  return null;
}

function pickIntent(intents: readonly Stripe.PaymentIntent[]): Stripe.PaymentIntent | undefined {
  return [...intents].sort((a, b) => (PREFERENCE[a.status] ?? 5) - (PREFERENCE[b.status] ?? 5) || b.created - a.created)[0];
}
