import { stripeCall } from "./call";
import type { StripeDeps } from "./deps";

/**
 * The customer at Stripe, created on first use. The key is derived from Tally's customer id, so a
 * retry after a lost answer finds the same Stripe customer instead of making a second one.
 */
export async function createCustomer(
  deps: StripeDeps,
  input: { customerId: string; email: string; name: string | null; existing: string | null },
): Promise<string> {
  if (input.existing) return input.existing;
  const idempotencyKey = `tally_customer_${input.customerId}`;
  const customer = await stripeCall(deps, "write", idempotencyKey, () =>
    deps
      .stripe()
      .customers.create(
        { email: input.email, name: input.name ?? undefined, metadata: { tally_customer_id: input.customerId } },
        { idempotencyKey },
      ),
    "create the customer",
  );
  return customer.id;
}
