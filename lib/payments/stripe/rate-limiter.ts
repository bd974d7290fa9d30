/** Time source for the limiter and the Retry-After waits: real by default, injected in tests. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * At most `perSecond` calls start in any 1-second window; extra calls queue (FIFO), never drop.
 * Each call reserves its start time synchronously — the `perSecond`-th previous reservation plus
 * one second — so concurrent callers cannot race past the limit.
 */
export class SlidingWindowLimiter {
  private readonly slots: number[] = [];

  constructor(
    readonly perSecond: number,
    private readonly clock: Clock = realClock,
    private readonly onQueued?: (waitMs: number) => void,
  ) {
    if (!Number.isSafeInteger(perSecond) || perSecond < 1) throw new Error("perSecond must be a positive integer");
  }

  /** Reserve the next start time; returns how long the caller must wait for it (ms). */
  reserve(): number {
    const now = this.clock.now();
    const earlier = this.slots.length >= this.perSecond ? this.slots[this.slots.length - this.perSecond] : undefined;
    const at = earlier === undefined ? now : Math.max(now, earlier + 1000);
    this.slots.push(at);
    if (this.slots.length > this.perSecond) this.slots.splice(0, this.slots.length - this.perSecond);
    return at - now;
  }

  /** Wait for a slot. */
  async acquire(): Promise<number> {
    const wait = this.reserve();
    if (wait > 0) {
      this.onQueued?.(wait);
      await this.clock.sleep(wait);
    }
    return wait;
  }
}

/** Stripe's limits: 100 operations/s in live mode, 25/s in test mode (docs.stripe.com/rate-limits). */
export function stripeRateFor(testMode: boolean): number {
  return testMode ? 25 : 100;
}
