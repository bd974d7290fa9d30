import type Stripe from "stripe";
import type { ChargeResult } from "../port";
import { GATEWAY_REFUSED, type GatewayError } from "../gateway-error";
import { stripeCall, stripeErrorOf, type StripeErrorLike } from "./call";
import type { StripeDeps } from "./deps";

/**
 * A charge result with the amount the gateway holds, so reconciliation can compare it with ours.
 * Assignable to ChargeResult; the extra fields are informational.
 */
export type StripeChargeResult = ChargeResult & { amount?: number; currency?: string };

/** Expand paths that give the fee and Radar's outcome in the same round trip. */
export const INTENT_EXPAND = ["latest_charge.balance_transaction"];

/** The gateway's answer for a PaymentIntent, as Tally understands it. */
export async function intentToResult(deps: StripeDeps, intent: Stripe.PaymentIntent): Promise<StripeChargeResult> {
  const money = { amount: intent.amount, currency: intent.currency };
  const charge = typeof intent.latest_charge === "object" ? intent.latest_charge : null;
  const risk = { riskLevel: charge?.outcome?.risk_level ?? null, outcome: charge?.outcome?.type ?? null };
  switch (intent.status) {
    case "succeeded":
      return { status: "succeeded", gatewayId: intent.id, fee: await feeOf(deps, intent, charge), ...risk, ...money };
    case "requires_action":
    case "requires_confirmation":
      return { status: "requires_action", gatewayId: intent.id, clientSecret: intent.client_secret, ...risk, ...money };
    case "requires_payment_method": {
      const last = intent.last_payment_error;
      if (!last) return { status: "pending", gatewayId: intent.id, ...money };
      if (last.code === "authentication_required" || last.decline_code === "authentication_required") {
        // Off-session authentication failed: the customer confirms on-session with the client secret.
        return { status: "requires_action", gatewayId: intent.id, clientSecret: intent.client_secret, ...risk, ...money };
      }
      return {
        status: "failed",
        gatewayId: intent.id,
        failureCode: last.code ?? "card_declined",
        declineCode: last.decline_code ?? null,
        adviceCode: last.advice_code ?? null,
        message: last.message ?? "The payment failed.",
        ...risk,
        ...money,
      };
    }
    case "canceled":
      return {
        status: "failed",
        gatewayId: intent.id,
        failureCode: "canceled",
        declineCode: null,
        message: `The payment was canceled${intent.cancellation_reason ? ` (${intent.cancellation_reason})` : ""}.`,
        ...risk,
        ...money,
      };
    default:
      // processing, requires_capture: not settled yet.
      return { status: "pending", gatewayId: intent.id, ...money };
  }
}

/**
 * Stripe's fee for the charge, from its balance transaction. Recorded only in the charge's own
 * currency: a fee settled in another currency cannot be stored without a float conversion.
 */
async function feeOf(deps: StripeDeps, intent: Stripe.PaymentIntent, charge: Stripe.Charge | null): Promise<number | null> {
  let bt = charge?.balance_transaction ?? null;
  if (typeof bt === "string") {
    const id = bt;
    bt = await stripeCall(deps, "read", null, () => deps.stripe().balanceTransactions.retrieve(id), "read the charge's fee");
  }
  if (!bt || bt.currency !== intent.currency) return null;
  return bt.fee;
}

/** A 402 from a confirm: a decline, or authentication the customer has to give on-session. */
export function cardErrorToResult(e: StripeErrorLike): StripeChargeResult | null {
  if (e.type !== "StripeCardError" && e.statusCode !== 402) return null;
  const intent = e.payment_intent;
  if (e.code === "authentication_required" || e.decline_code === "authentication_required" || intent?.status === "requires_action") {
    if (!intent?.id) return null;
    return { status: "requires_action", gatewayId: intent.id, clientSecret: intent.client_secret ?? null };
  }
  return {
    status: "failed",
    gatewayId: intent?.id ?? null,
    failureCode: e.code ?? "card_declined",
    declineCode: e.decline_code ?? null,
    adviceCode: e.advice_code ?? null,
    message: e.message || "Your card was declined.",
  };
}

/**
 * Stripe refused the charge request itself (invalid_request_error: a payment method that is gone
 * or not the customer's, an amount Stripe will not take, …). Permanent for this request: a failed
 * payment carrying Stripe's reason, with advice not to retry it unchanged (a new card, or staff).
 * The PaymentIntent, when Stripe made one before refusing to confirm it, is recorded.
 */
export function refusalToResult(error: GatewayError): StripeChargeResult {
  const intent = stripeErrorOf(error)?.payment_intent;
  return {
    status: "failed",
    gatewayId: intent?.id ?? null,
    failureCode: GATEWAY_REFUSED,
    declineCode: null,
    adviceCode: "do_not_try_again",
    message: error.userMessage,
  };
}
