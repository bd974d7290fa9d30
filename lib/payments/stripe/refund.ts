import { GatewayError } from "../gateway-error";
import type { RefundRequest, RefundResult } from "../port";
import { stripeCall } from "./call";
import type { StripeDeps } from "./deps";

/**
 * Refund (part of) a PaymentIntent's charge under a stable key: a retry never refunds twice.
 * Stripe's refusal (already refunded, more than is left, a charge that cannot take a refund) is a
 * failed refund carrying Stripe's reason; anything retryable throws, for the caller to retry.
 */
export async function refund(deps: StripeDeps, request: RefundRequest): Promise<RefundResult> {
  try {
    const created = await stripeCall(
      deps,
      "write",
      request.idempotencyKey,
      () => deps.stripe().refunds.create({ payment_intent: request.paymentGatewayId, amount: request.amount }, { idempotencyKey: request.idempotencyKey }),
      "refund the payment",
    );
    if (created.status === "failed" || created.status === "canceled") {
      return { status: "failed", gatewayId: created.id, failureCode: created.failure_reason ?? created.status, message: `The refund ${created.status}.` };
    }
    // `pending` (and `requires_action` for some non-card methods) still moves the money: Stripe reports the end by webhook.
    return { status: "succeeded", gatewayId: created.id };
  } catch (error) {
    if (error instanceof GatewayError && error.failure !== "unavailable") {
      return { status: "failed", gatewayId: null, failureCode: error.details.code ?? "refund_refused", message: error.details.message };
    }
    throw error;
  }
}
