/**
 * Which gateway takes payments: Stripe when STRIPE_SECRET_KEY is set, the offline sandbox otherwise.
 * Read on every call, so a test or a key rotation switches without a restart.
 */
export function sandboxIsGateway(): boolean {
  return !process.env.STRIPE_SECRET_KEY;
}

/** Live mode moves real money, which the sandbox cannot: no tk_live_ key is issued or accepted while it is the gateway. */
export const LIVE_MODE_NEEDS_STRIPE =
  "Live mode needs Stripe: while the sandbox gateway takes payments (no STRIPE_SECRET_KEY), Tally issues and accepts test keys (tk_test_) only.";
