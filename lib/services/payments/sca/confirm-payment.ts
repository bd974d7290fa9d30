import { AppError, notFound } from "@/lib/errors";
import { gateway } from "@/lib/payments";
import type { ServiceContext } from "../../context";
import { applyChargeResult } from "../../invoices/attempt-payment";
import { confirmationState, loadPaymentSummary, type ConfirmationState } from "./payment-summary";

/**
 * The customer is present and has authenticated (sandbox: pressed Confirm; Stripe: stripe.js
 * `confirmPayment` finished): ask the gateway for the charge's answer and apply it once.
 * Anything but a payment still waiting for authentication on an open invoice is left alone, so a
 * second confirm — or a confirm after the invoice was paid another way — changes nothing.
 */
export async function confirmAuthenticatedPayment(ctx: ServiceContext, paymentId: string): Promise<ConfirmationState> {
  const summary = await loadPaymentSummary(ctx.db, paymentId);
  if (!summary) throw notFound("payment");
  if (summary.state !== "action_required") return summary.state;
  const { payment } = summary;
  const gw = gateway();
  if (payment.gateway !== gw.name || !payment.gatewayId) {
    throw new AppError("conflict", { userMessage: "This payment can no longer be confirmed here. Please add a new card in your billing portal instead." });
  }
  const result = await gw.completeAuthentication(payment.gatewayId);
  const applied = await applyChargeResult(ctx, payment.id, result);
  return confirmationState(applied.payment ?? payment, applied.invoice);
}
