import { GatewayError } from "../gateway-error";
import { stripeCall } from "./call";
import type { StripeDeps } from "./deps";

/**
 * Account deletion at Stripe: the customer object keeps no name or email (`POST /v1/customers/{id}`
 * with `name` and `email` set to the empty string, which Stripe's API takes as "unset"). The
 * customer itself stays, so Stripe's records of past charges and refunds keep their customer; its
 * only metadata is Tally's customer id. A customer Stripe no longer has counts as done.
 */
export async function eraseCustomer(deps: StripeDeps, input: { gatewayCustomerId: string; idempotencyKey: string }): Promise<void> {
  try {
    await stripeCall(
      deps,
      "write",
      input.idempotencyKey,
      () => deps.stripe().customers.update(input.gatewayCustomerId, { name: "", email: "" }, { idempotencyKey: input.idempotencyKey }),
      "clear the customer's name and email",
    );
  } catch (error) {
    if (error instanceof GatewayError && error.failure === "refused" && error.details.code === "resource_missing") return;
    throw error;
  }
}
