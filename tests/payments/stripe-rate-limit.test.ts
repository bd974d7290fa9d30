import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retryAfterMs, MAX_RATE_LIMIT_RETRIES } from "@/lib/payments/stripe/call";
import { createStripeGateway, type Clock, type StripeHooks } from "@/lib/payments/stripe";
import { SlidingWindowLimiter } from "@/lib/payments/stripe/rate-limiter";
import { startFakeStripe, type FakeStripe } from "../fake-stripe/server";

/** A clock that never sleeps for real: sleeping moves virtual time forward to the wake-up. */
function virtualClock(): Clock & { elapsed(): number } {
  const start = 1_700_000_000_000;
  let t = start;
  return {
    now: () => t,
    sleep: async (ms) => {
      const wake = t + ms;
      await Promise.resolve();
      t = Math.max(t, wake);
    },
    elapsed: () => t - start,
  };
}

/** Start times (virtual) of `n` calls made at once through a limiter. */
async function burst(limiter: SlidingWindowLimiter, clock: ReturnType<typeof virtualClock>, n: number): Promise<number[]> {
  const t0 = clock.now();
  const waits = await Promise.all(Array.from({ length: n }, () => limiter.acquire()));
  return waits.map((w) => t0 + w);
}

/** The most calls started in any 1-second window. */
function maxPerSecond(starts: number[]): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    const first = sorted[i] ?? 0;
    best = Math.max(best, sorted.filter((s) => s >= first && s < first + 1000).length);
  }
  return best;
}

describe("the write limiter (injected clock, no real sleeping)", () => {
  it("test mode: 50 writes at once — 25 go now, 25 queue for a second; never more than 25 in any second", async () => {
    const clock = virtualClock();
    const limiter = new SlidingWindowLimiter(25, clock);
    const starts = await burst(limiter, clock, 50);
    const t0 = Math.min(...starts);
    expect(starts.filter((s) => s === t0)).toHaveLength(25);
    expect(starts.filter((s) => s === t0 + 1000)).toHaveLength(25);
    expect(maxPerSecond(starts)).toBe(25);
    expect(clock.elapsed()).toBeGreaterThanOrEqual(1000);
  });

  it("live mode: 100 a second", async () => {
    const clock = virtualClock();
    const limiter = new SlidingWindowLimiter(100, clock);
    const starts = await burst(limiter, clock, 150);
    expect(maxPerSecond(starts)).toBe(100);
    expect(Math.max(...starts) - Math.min(...starts)).toBe(1000);
  });

  it("queues in order and keeps the rate over a longer stream", async () => {
    const clock = virtualClock();
    const limiter = new SlidingWindowLimiter(25, clock);
    const order: number[] = [];
    await Promise.all(Array.from({ length: 80 }, (_, i) => limiter.acquire().then(() => order.push(i))));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(clock.elapsed()).toBe(3000); // 25 at 0 s, 25 at 1 s, 25 at 2 s, 5 at 3 s
  });

  it("reads Retry-After as seconds or an HTTP date, bounded, 1 s by default", () => {
    const e = (headers: Record<string, string>) => ({ type: "StripeRateLimitError", message: "", headers });
    expect(retryAfterMs(e({ "retry-after": "2" }), 0)).toBe(2000);
    expect(retryAfterMs(e({ "retry-after": "0.5" }), 0)).toBe(500);
    expect(retryAfterMs(e({ "retry-after": new Date(10_000).toUTCString() }), 7_000)).toBe(3000);
    expect(retryAfterMs(e({ "retry-after": "3600" }), 0)).toBe(60_000);
    expect(retryAfterMs(e({}), 0)).toBe(1000);
  });
});

describe("the Stripe adapter's limiter and 429 handling, through the real SDK", () => {
  let fake: FakeStripe;
  beforeAll(async () => {
    fake = await startFakeStripe();
  });
  afterAll(async () => {
    await fake.close();
  });

  function adapter(secretKey = "sk_test_fake") {
    const clock = virtualClock();
    const queued: number[] = [];
    const limited: Array<{ waitMs: number; idempotencyKey: string | null }> = [];
    const hooks: StripeHooks = {
      onQueued: ({ waitMs }) => queued.push(waitMs),
      onRateLimited: ({ waitMs, idempotencyKey }) => limited.push({ waitMs, idempotencyKey }),
    };
    const gw = createStripeGateway({ secretKey, apiBase: fake.url, timeoutMs: 2000, clock, hooks });
    return { gw, clock, queued, limited };
  }

  it("50 writes in test mode take at least a second of queueing; all reach Stripe", async () => {
    const { gw, clock, queued } = adapter();
    const before = fake.requestsTo("POST", "/v1/customers").length;
    const ids = await Promise.all(
      Array.from({ length: 50 }, (_, i) => gw.ensureCustomer({ customerId: `cus_rate_${i}`, email: `r${i}@example.test`, name: null, existing: null })),
    );
    expect(new Set(ids).size).toBe(50);
    expect(fake.requestsTo("POST", "/v1/customers").length - before).toBe(50);
    expect(queued).toHaveLength(25);
    expect(queued.every((w) => w === 1000)).toBe(true);
    expect(clock.elapsed()).toBeGreaterThanOrEqual(1000);
  });

  it("a live key gets 100 a second", async () => {
    const { gw, queued } = adapter("sk_live_fake");
    await Promise.all(Array.from({ length: 120 }, (_, i) => gw.ensureCustomer({ customerId: `cus_live_${i}`, email: `l${i}@example.test`, name: null, existing: null })));
    expect(queued).toHaveLength(20);
  });

  it("a 429 is waited out per Retry-After and retried with the same idempotency key", async () => {
    const { gw, clock, limited } = adapter();
    fake.failNext(2, "429", (r) => r.method === "POST" && r.path === "/v1/customers");
    const id = await gw.ensureCustomer({ customerId: "cus_429", email: "x@example.test", name: "X", existing: null });
    expect(id).toMatch(/^cus_/);
    expect(limited).toEqual([
      { waitMs: 1000, idempotencyKey: "tally_customer_cus_429" },
      { waitMs: 1000, idempotencyKey: "tally_customer_cus_429" },
    ]);
    expect(clock.elapsed()).toBeGreaterThanOrEqual(2000);
    const sent = fake.requests.filter((r) => r.idempotencyKey === "tally_customer_cus_429");
    expect(sent.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(new Set(sent.map((r) => JSON.stringify(r.params))).size).toBe(1);
  });

  it(`after ${MAX_RATE_LIMIT_RETRIES} retries the rate-limit error is passed on, as retryable (503 unavailable)`, async () => {
    const { gw, limited } = adapter();
    fake.failNext(MAX_RATE_LIMIT_RETRIES + 1, "429", (r) => r.method === "POST" && r.path === "/v1/customers");
    await expect(gw.ensureCustomer({ customerId: "cus_429_forever", email: "y@example.test", name: null, existing: null })).rejects.toMatchObject({
      name: "GatewayError",
      failure: "unavailable",
      code: "unavailable",
      details: { code: "rate_limit" },
    });
    expect(limited).toHaveLength(MAX_RATE_LIMIT_RETRIES);
    fake.clearFaults();
  });
});
