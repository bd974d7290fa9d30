import { randomUUID } from "node:crypto";
import type { SetupIntent } from "../port";
import { stripeCall } from "./call";
import type { StripeDeps } from "./deps";

/** A SetupIntent for the Payment Element: the card is saved for off-session charges later. */
export async function createSetupIntent(deps: StripeDeps, input: { customerId: string; customerGatewayId: string }): Promise<SetupIntent> {
  // One key per request, kept across the SDK's retries and our 429 waits.
  const idempotencyKey = `tally_seti_${input.customerId}_${randomUUID()}`;
  const intent = await stripeCall(deps, "write", idempotencyKey, () =>
    deps
      .stripe()
      .setupIntents.create(
        { customer: input.customerGatewayId, usage: "off_session", automatic_payment_methods: { enabled: true }, metadata: { tally_customer_id: input.customerId } },
        { idempotencyKey },
      ),
    "start saving a card",
  );
  if (!intent.client_secret) throw new Error(`Stripe returned SetupIntent ${intent.id} without a client secret`);
  return { id: intent.id, clientSecret: intent.client_secret };
}
