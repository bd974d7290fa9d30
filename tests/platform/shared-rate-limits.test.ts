import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { RateLimiterRes, SharedLimiter } from "@/lib/http/rate-limiter";

// Two SharedLimiter objects with one prefix stand for two instances of Tally: on PostgreSQL they
// spend one budget (rate_limits, drizzle/0048); each remembers a key it saw go over, without a query.
const onPostgres = Boolean(process.env.DATABASE_URL);

async function spend(limiter: SharedLimiter, key: string): Promise<"ok" | "refused"> {
  return limiter.consume(key).then(
    () => "ok",
    (rejection: unknown) => {
      if (rejection instanceof RateLimiterRes) return "refused";
      throw rejection;
    },
  );
}

describe("rate limits shared by every instance", () => {
  it.skipIf(!onPostgres)("two instances spend one budget, kept in rate_limits (needs PostgreSQL: PGlite is one process and counts in memory)", async () => {
    const options = { keyPrefix: "shared_test", points: 5, duration: 60 };
    const a = new SharedLimiter(options);
    const b = new SharedLimiter(options);
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await spend(a, "key_1"), await spend(b, "key_1"));
    // 5 of 8 requests fit the one budget, whichever instance took them.
    expect(answers.filter((x) => x === "ok")).toHaveLength(5);
    expect(answers.slice(5)).toEqual(["refused", "refused", "refused"]);
    // Another key has a budget of its own.
    expect(await spend(b, "key_2")).toBe("ok");
    const [row] = await queryRows<{ points: number }>(await getDb(), sql`select points from rate_limits where key = 'shared_test:key_1'`);
    expect(row?.points).toBeGreaterThanOrEqual(5);
  });

  it.skipIf(!onPostgres)("leased: never more than the budget, at most a lease less per instance, one statement per lease (needs PostgreSQL)", async () => {
    const options = { keyPrefix: "leased_test", points: 40, duration: 60, lease: 4 };
    const a = new SharedLimiter(options);
    const b = new SharedLimiter(options);
    const answers = [];
    for (let i = 0; i < 30; i += 1) answers.push(await spend(a, "key_1"), await spend(b, "key_1"));
    const ok = answers.filter((x) => x === "ok").length;
    expect(ok).toBeLessThanOrEqual(40);
    expect(ok).toBeGreaterThanOrEqual(40 - 2 * (4 - 1));
    // Taken from PostgreSQL four at a time: 60 requests, 15 leases asked for (the refused ones count too).
    const [row] = await queryRows<{ points: number }>(await getDb(), sql`select points from rate_limits where key = 'leased_test:key_1'`);
    expect(row?.points).toBeLessThanOrEqual(60);
    expect((row?.points ?? 0) % 4).toBe(0);
  });

  it("on the embedded database each limiter counts in memory, and still refuses past its budget", async () => {
    const limiter = new SharedLimiter({ keyPrefix: `memory_test_${onPostgres ? "pg" : "pglite"}`, points: 2, duration: 60 });
    expect([await spend(limiter, "k"), await spend(limiter, "k"), await spend(limiter, "k")]).toEqual(["ok", "ok", "refused"]);
  });
});
