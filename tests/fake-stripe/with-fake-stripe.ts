import { afterAll, beforeAll } from "vitest";
import { startFakeStripe, type FakeStripe, type FakeStripeOptions } from "./server";

const VARS = ["STRIPE_SECRET_KEY", "STRIPE_API_BASE", "STRIPE_TIMEOUT_MS"] as const;

/**
 * Start a fake Stripe for this test file and point Tally's gateway at it through the environment
 * (STRIPE_SECRET_KEY=sk_test_fake, STRIPE_API_BASE=<fake>), restoring the environment afterwards.
 * `gateway()` reads the environment on each call, so nothing needs re-importing.
 * A request that Stripe's description of the operation does not allow (operations.json, see
 * openapi-rules.ts) fails the file when it ends, whatever the tests asserted, unless
 * `allowViolations` says the file sends such requests on purpose.
 */
export function withFakeStripe(opts: FakeStripeOptions & { timeoutMs?: number; secretKey?: string; allowViolations?: boolean } = {}): () => FakeStripe {
  let fake: FakeStripe | undefined;
  const saved: Partial<Record<(typeof VARS)[number], string | undefined>> = {};
  beforeAll(async () => {
    for (const v of VARS) saved[v] = process.env[v];
    fake = await startFakeStripe(opts);
    process.env.STRIPE_SECRET_KEY = opts.secretKey ?? "sk_test_fake";
    process.env.STRIPE_API_BASE = fake.url;
    if (opts.timeoutMs) process.env.STRIPE_TIMEOUT_MS = String(opts.timeoutMs);
    else delete process.env.STRIPE_TIMEOUT_MS;
  });
  afterAll(async () => {
    for (const v of VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
    await fake?.close();
    const violations = fake?.violations ?? [];
    if (violations.length > 0 && !opts.allowViolations) {
      const list = violations.map((r) => `${r.method} ${r.path}: ${r.violation?.message ?? "refused"}`).join("\n");
      throw new Error(`The fake Stripe refused ${violations.length} request(s) Stripe would refuse (operations.json):\n${list}`);
    }
  });
  return () => {
    if (!fake) throw new Error("the fake Stripe server is not running");
    return fake;
  };
}
