import type Stripe from "stripe";
import type { Clock, SlidingWindowLimiter } from "./rate-limiter";

/** Observability hooks (tests and metrics): queueing in front of Stripe and 429 waits. */
export interface StripeHooks {
  onQueued?(event: { kind: "write" | "read"; waitMs: number }): void;
  onRateLimited?(event: { kind: "write" | "read"; waitMs: number; retry: number; idempotencyKey: string | null }): void;
}

/** What every operation module receives. */
export interface StripeDeps {
  /** The SDK client, constructed on first use. */
  stripe(): Stripe;
  testMode: boolean;
  writes: SlidingWindowLimiter;
  reads: SlidingWindowLimiter;
  clock: Clock;
  hooks: StripeHooks;
}
