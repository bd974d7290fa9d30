import type { RefundRequest, RefundResult } from "../port";
import { asStripeError, stripeCall } from "./call";
import type { StripeDeps } from "./deps";

/** Refund (part of) a PaymentIntent's charge under a stable key: a retry never refunds twice. */
export async function refund(deps: StripeDeps, request: RefundRequest): Promise<RefundResult> {
  try {
    const created = await stripeCall(deps, "write", request.idempotencyKey, () =>
      deps
        .stripe()
        .refunds.create({ payment_intent: request.paymentGatewayId, amount: request.amount }, { idempotencyKey: request.idempotencyKey }),
    );
    if (created.status === "failed" || created.status === "canceled") {
      return { status: "failed", gatewayId: created.id, failureCode: created.failure_reason ?? created.status, message: `The refund ${created.status}.` };
    }
    // `pending` (and `requires_action` for some non-card methods) still moves the money: Stripe reports the end by webhook.
    return { status: "succeeded", gatewayId: created.id };
  } catch (error) {
    const e = asStripeError(error);
    if (e && (e.type === "StripeInvalidRequestError" || e.type === "StripeCardError")) {
      return { status: "failed", gatewayId: null, failureCode: e.code ?? "refund_refused", message: e.message };
    }
    throw error;
  }
}
