import type Stripe from "stripe";
import { inPool } from "@/lib/async/in-pool";
import type { ChargeRequest, ChargeResult, PaymentGateway } from "../port";
import { attachPaymentMethod } from "./attach-payment-method";
import { charge } from "./charge";
import { createStripeClient, isTestKey, timeoutFromEnv, type StripeClientSettings } from "./client";
import { completeAuthentication } from "./complete-authentication";
import { createCustomer } from "./create-customer";
import { createSetupIntent } from "./create-setup-intent";
import { dashboardUrl } from "./dashboard-url";
import { detachPaymentMethod } from "./detach-payment-method";
import { eraseCustomer } from "./erase-customer";
import type { StripeDeps, StripeHooks } from "./deps";
import { realClock, SlidingWindowLimiter, stripeRateFor, type Clock } from "./rate-limiter";
import { refund } from "./refund";
import { retrieveCharge } from "./retrieve-charge";

export interface StripeGatewayOptions extends StripeClientSettings {
  /** Calls per second started towards Stripe; default 25 with a test key, 100 live. */
  perSecond?: number;
  clock?: Clock;
  hooks?: StripeHooks;
}

export type StripeGateway = PaymentGateway & { readonly deps: StripeDeps };

/** The Stripe adapter. The SDK client is built on first use, so importing this costs nothing. */
export function createStripeGateway(options: StripeGatewayOptions): StripeGateway {
  const testMode = isTestKey(options.secretKey);
  const clock = options.clock ?? realClock;
  const hooks: StripeHooks = options.hooks ?? {};
  const perSecond = options.perSecond ?? stripeRateFor(testMode);
  let client: Stripe | undefined;
  const deps: StripeDeps = {
    stripe: () => (client ??= createStripeClient(options)),
    testMode,
    clock,
    hooks,
    writes: new SlidingWindowLimiter(perSecond, clock, (waitMs) => hooks.onQueued?.({ kind: "write", waitMs })),
    reads: new SlidingWindowLimiter(perSecond, clock, (waitMs) => hooks.onQueued?.({ kind: "read", waitMs })),
  };
  return {
    name: "stripe",
    deps,
    ensureCustomer: (input) => createCustomer(deps, input),
    createSetupIntent: (input) => createSetupIntent(deps, input),
    attachPaymentMethod: (input) => attachPaymentMethod(deps, input),
    detachPaymentMethod: (input) => detachPaymentMethod(deps, input),
    eraseCustomer: (input) => eraseCustomer(deps, input),
    charge: (request) => charge(deps, request),
    chargeMany: async (requests, opts) => {
      const results: (ChargeResult | Error)[] = new Array<ChargeResult | Error>(requests.length);
      await inPool(requests, opts?.concurrency ?? 8, async (request: ChargeRequest, k) => {
        results[k] = await charge(deps, request).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
      });
      return results;
    },
    refund: (request) => refund(deps, request),
    retrieveCharge: (input) => retrieveCharge(deps, input),
    completeAuthentication: (gatewayId) => completeAuthentication(deps, gatewayId),
    dashboardUrl,
  };
}

const cache = new Map<string, StripeGateway>();

/**
 * One adapter per (key, host, timeout), shared by the process so its rate limiter sees every call.
 * Keyed rather than global so tests (and a key rotation) switch by changing the environment.
 */
export function stripeGatewayFor(secretKey: string, apiBase?: string | null): StripeGateway {
  const timeoutMs = timeoutFromEnv();
  const id = `${secretKey}\u0000${apiBase ?? ""}\u0000${timeoutMs}`;
  let gw = cache.get(id);
  if (!gw) {
    gw = createStripeGateway({ secretKey, apiBase: apiBase ?? null, timeoutMs });
    cache.set(id, gw);
  }
  return gw;
}
