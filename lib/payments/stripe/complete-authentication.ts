import { AppError } from "@/lib/errors";
import type { StripeDeps } from "./deps";
import type { StripeChargeResult } from "./map-intent";
import { retrieveCharge } from "./retrieve-charge";

/**
 * After stripe.js confirmed the PaymentIntent on-session (`confirmPayment` on the /pay page), the
 * server re-reads it: succeeded, still waiting for the customer, or failed.
 */
export async function completeAuthentication(deps: StripeDeps, gatewayId: string): Promise<StripeChargeResult> {
  const result = await retrieveCharge(deps, { gatewayId, idempotencyKey: "", metadata: {} });
  if (!result) throw new AppError("not_found", { userMessage: "No such payment to confirm." });
  return result;
}
