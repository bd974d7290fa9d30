import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import { GatewayError } from "../gateway-error";
import type { CardDetails } from "../port";
import { stripeCall } from "./call";
import type { StripeDeps } from "./deps";

/**
 * Attach a PaymentMethod (from the Payment Element, or in test mode one of Stripe's `pm_card_*`
 * ids, which Stripe clones into a new `pm_…`) to the customer and read what Tally keeps of the card.
 * A card Stripe will not attach is a GatewayError naming `token`: declined (402, the bank's words)
 * or refused (400, Stripe's reason); nothing is saved.
 */
export async function attachPaymentMethod(
  deps: StripeDeps,
  input: { customerId: string; customerGatewayId?: string | null; token: string },
): Promise<CardDetails> {
  const customer = input.customerGatewayId;
  if (!customer) throw new Error("attaching a Stripe payment method needs the customer's Stripe id");
  const idempotencyKey = `tally_attach_${input.customerId}_${randomUUID()}`;
  const method = await stripeCall(
    deps,
    "write",
    idempotencyKey,
    () => deps.stripe().paymentMethods.attach(input.token, { customer }, { idempotencyKey }),
    "save the card",
  ).catch((error: unknown) => {
    throw error instanceof GatewayError ? error.withParam("token") : error;
  });
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
}
