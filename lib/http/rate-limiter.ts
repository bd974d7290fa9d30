import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getHandle, pgPoolOf } from "@/db/client";

export { RateLimiterRes };

export interface LimitOptions {
  keyPrefix: string;
  /** Points a key may spend per window. */
  points: number;
  /** The window, in seconds. */
  duration: number;
}

type Handle = Awaited<ReturnType<typeof getHandle>>;

/**
 * A rate limit every instance of Tally shares (issue 20 item 5). On PostgreSQL it is
 * rate-limiter-flexible's PostgreSQL store on the rate_limits table (drizzle/0048): every instance
 * spends the same budget. An instance that has seen a key go over its budget refuses it from memory
 * for the rest of the window (`inMemoryBlockOnConsumed`: no query while a flood lasts), and when
 * PostgreSQL does not answer it falls back to a budget in its own memory (`insuranceLimiter`) rather
 * than failing requests. On PGlite — one process by construction — the budget lives in memory.
 */
export class SharedLimiter {
  private built: { handle: Handle; limiter: RateLimiterAbstract } | undefined;

  constructor(readonly options: LimitOptions) {}

  /** Spend `points` of `key`'s budget: resolves with the state, rejects with a RateLimiterRes when over. */
  async consume(key: string, points = 1): Promise<RateLimiterRes> {
    return (await this.limiter()).consume(key, points);
  }

  private async limiter(): Promise<RateLimiterAbstract> {
    // A new database handle (a test reopening its database) gets a limiter on the new pool.
    const handle = await getHandle();
    if (this.built?.handle !== handle) this.built = { handle, limiter: build(handle, this.options) };
    return this.built.limiter;
  }
}

function build(handle: Handle, options: LimitOptions): RateLimiterAbstract {
  const memory = new RateLimiterMemory(options);
  const pool = handle.driver === "pg" ? pgPoolOf(handle.db) : undefined;
  if (!pool) return memory;
  return new RateLimiterPostgres({
    ...options,
    storeClient: pool,
    storeType: "pool",
    tableName: "rate_limits",
    tableCreated: true,
    // Once a key has spent its budget here, refuse it from memory until its window ends.
    inMemoryBlockOnConsumed: options.points,
    insuranceLimiter: memory,
  });
}
