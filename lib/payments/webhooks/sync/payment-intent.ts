import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { payments } from "@/db/schema";
import { lockInvoice } from "@/db/queries/invoices";
import type { PaymentRow } from "@/db/queries/payments";
import { gateway, type ChargeResult } from "@/lib/payments";
import { applyChargeResult } from "@/lib/services/invoices/attempt-payment";
import type { ServiceContext } from "@/lib/services/context";
import { flagForStaff } from "../flag-for-staff";
import { findPaymentForGateway } from "../lookup";
import { objectOf, paymentIntentObject, type PaymentIntentObject } from "../objects";
import type { HandlerOutcome, WebhookEvent, WebhookHandler } from "../types";

export interface ChargeAnswer {
  payment: Pick<PaymentRow, "id" | "invoiceId"> | null;
  /** The gateway's answer now, read after the event arrived (the event itself may be stale). */
  answer: ChargeResult | null;
}

/**
 * The gateway's current answer for the charge behind a PaymentIntent. Events arrive in any order
 * (a `requires_action` after the `succeeded` it led to), so the event's own status is only a
 * fallback for a gateway that no longer answers for the charge.
 */
export async function readChargeAnswer(db: Db, intent: { id: string; metadataPaymentId?: string | null }, fallback: PaymentIntentObject | null): Promise<ChargeAnswer> {
  const payment = await findPaymentForGateway(db, { paymentIntentId: intent.id, metadataPaymentId: intent.metadataPaymentId });
  if (!payment || payment.gateway === "manual") return { payment: null, answer: null };
  const answer = await gateway().retrieveCharge({
    gatewayId: intent.id,
    idempotencyKey: payment.idempotencyKey,
    metadata: { invoice_id: payment.invoiceId, payment_id: payment.id },
  });
  return { payment: { id: payment.id, invoiceId: payment.invoiceId }, answer: answer ?? (fallback ? answerFromIntent(fallback) : null) };
}

/**
 * Apply the gateway's answer through applyChargeResult, which takes a result only while the
 * payment is in flight (pending, or requires_action moving on): a succeeded payment never goes back.
 * A success on a payment Tally already recorded as failed (the customer paid the same
 * PaymentIntent on-session later) is money taken without an open attempt: flagged for staff.
 */
export async function applyChargeAnswer(ctx: ServiceContext, loaded: ChargeAnswer): Promise<HandlerOutcome> {
  const { payment, answer } = loaded;
  if (!payment) return { ignored: "no Tally payment for this PaymentIntent" };
  if (!answer) return { ignored: "the gateway has no record of this charge" };
  // The invoice before its payment (lockInvoice's lock order): applyChargeResult takes both.
  await lockInvoice(ctx.db, payment.invoiceId);
  const [current] = await ctx.db.select({ status: payments.status }).from(payments).where(eq(payments.id, payment.id)).for("update");
  if (!current) return { ignored: "the payment no longer exists" };
  if (answer.status === "succeeded" && current.status === "failed") {
    await flagForStaff(ctx.db, {
      key: payment.id,
      paymentId: payment.id,
      kind: "succeeded_after_failure",
      detail: `The gateway reports charge ${answer.gatewayId} succeeded, but Tally recorded payment ${payment.id} (invoice ${payment.invoiceId}) as failed. Check for a double payment before refunding or marking the invoice paid.`,
    });
    return { ignored: "succeeded at the gateway after Tally recorded a failure: flagged for staff" };
  }
  if (current.status === "succeeded" || current.status === "failed") return { ignored: `the payment is already ${current.status}` };
  await applyChargeResult(ctx, payment.id, answer);
}

/** What the event itself says, in the port's terms (as the Stripe adapter maps a PaymentIntent). */
function answerFromIntent(intent: PaymentIntentObject): ChargeResult {
  const error = intent.last_payment_error;
  switch (intent.status) {
    case "succeeded":
      return { status: "succeeded", gatewayId: intent.id, fee: null };
    case "requires_action":
    case "requires_confirmation":
      return { status: "requires_action", gatewayId: intent.id, clientSecret: null };
    case "requires_payment_method":
      if (!error) return { status: "pending", gatewayId: intent.id };
      if (error.code === "authentication_required" || error.decline_code === "authentication_required") {
        return { status: "requires_action", gatewayId: intent.id, clientSecret: null };
      }
      return {
        status: "failed",
        gatewayId: intent.id,
        failureCode: error.code ?? "card_declined",
        declineCode: error.decline_code ?? null,
        adviceCode: error.advice_code ?? null,
        message: error.message ?? "The payment failed.",
      };
    case "canceled":
      return { status: "failed", gatewayId: intent.id, failureCode: "canceled", declineCode: null, message: "The payment was canceled." };
    default:
      return { status: "pending", gatewayId: intent.id };
  }
}

/** `payment_intent.*`: every one re-reads the charge, so all four share this handler. */
export function paymentIntentHandler(): WebhookHandler {
  return {
    async load(db: Db, event: WebhookEvent) {
      const intent = objectOf(event, paymentIntentObject);
      return readChargeAnswer(db, { id: intent.id, metadataPaymentId: intent.metadata.payment_id }, intent);
    },
    apply: (ctx, _event, loaded) => applyChargeAnswer(ctx, loaded as ChargeAnswer),
  };
}
