import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import type { CardDetails } from "../port";
import { asStripeError, stripeCall } from "./call";
import type { StripeDeps } from "./deps";

/**
 * Attach a PaymentMethod (from the Payment Element, or in test mode one of Stripe's `pm_card_*`
 * ids, which Stripe clones into a new `pm_…`) to the customer and read what Tally keeps of the card.
 */
export async function attachPaymentMethod(
  deps: StripeDeps,
  input: { customerId: string; customerGatewayId?: string | null; token: string },
): Promise<CardDetails> {
  const customer = input.customerGatewayId;
  if (!customer) throw new Error("attaching a Stripe payment method needs the customer's Stripe id");
  const idempotencyKey = `tally_attach_${input.customerId}_${randomUUID()}`;
  try {
    const method = await stripeCall(deps, "write", idempotencyKey, () =>
      deps.stripe().paymentMethods.attach(input.token, { customer }, { idempotencyKey }),
    );
    const card = method.card;
    if (!card) throw new AppError("validation_failed", { param: "token", userMessage: "Only cards can be saved as a payment method." });
    return {
      gatewayId: method.id,
      brand: card.brand,
      last4: card.last4,
      expMonth: card.exp_month,
      expYear: card.exp_year,
      fingerprint: card.fingerprint ?? "",
    };
  } catch (error) {
    const e = asStripeError(error);
    if (e?.type === "StripeCardError") throw new AppError("payment_failed", { param: "token", userMessage: e.message });
    if (e?.type === "StripeInvalidRequestError") {
      throw new AppError("validation_failed", { param: "token", userMessage: e.message || "Stripe refused this payment method." });
    }
    throw error;
  }
}
