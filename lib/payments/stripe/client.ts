import Stripe from "stripe";

/**
 * The API version Tally is written against, pinned so a Stripe account upgrade never changes the
 * shapes we parse. It is the version the pinned SDK (package.json: stripe 23.1.0) was generated for.
 */
export const STRIPE_API_VERSION = "2026-10-28.endive" as const satisfies Stripe.LatestApiVersion;

/** Retries the SDK makes itself on connection errors, timeouts, 409 and 5xx, keeping the Idempotency-Key. */
export const STRIPE_MAX_NETWORK_RETRIES = 2;

/** Per-request timeout; STRIPE_TIMEOUT_MS overrides it (tests use a short one against the fake). */
export const STRIPE_DEFAULT_TIMEOUT_MS = 20_000;

export interface StripeClientSettings {
  secretKey: string;
  /** Another API host, e.g. `http://127.0.0.1:12111` (stripe-mock or the in-repo fake). */
  apiBase?: string | null;
  timeoutMs?: number;
  maxNetworkRetries?: number;
}

/** Test-mode keys (`sk_test_…`, restricted `rk_test_…`) get test-mode rate limits and dashboard links. */
export function isTestKey(secretKey: string): boolean {
  return /^(sk|rk)_test_/.test(secretKey);
}

export function timeoutFromEnv(): number {
  const raw = Number(process.env.STRIPE_TIMEOUT_MS);
  return Number.isSafeInteger(raw) && raw > 0 ? raw : STRIPE_DEFAULT_TIMEOUT_MS;
}

/** A configured SDK client: pinned API version, bounded network retries, a timeout, and the host override. */
export function createStripeClient(settings: StripeClientSettings): Stripe {
  const config: Stripe.StripeConfig = {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: settings.maxNetworkRetries ?? STRIPE_MAX_NETWORK_RETRIES,
    timeout: settings.timeoutMs ?? STRIPE_DEFAULT_TIMEOUT_MS,
    telemetry: false,
    appInfo: { name: "Tally" },
  };
  if (settings.apiBase) {
    const url = new URL(settings.apiBase);
    const protocol = url.protocol === "http:" ? "http" : "https";
    config.protocol = protocol;
    config.host = url.hostname;
    config.port = url.port ? Number(url.port) : protocol === "http" ? 80 : 443;
  }
  return new Stripe(settings.secretKey, config);
}
