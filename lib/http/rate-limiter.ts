import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getHandle, pgPoolOf } from "@/db/client";

export { RateLimiterRes };

export interface LimitOptions {
  keyPrefix: string;
  /** Points a key may spend per window. */
  points: number;
  /** The window, in seconds. */
  duration: number;
  /**
   * Points an instance takes from the shared budget at a time and spends from memory (default 1:
   * every request is counted in PostgreSQL). Leasing n makes a budget cost one statement per n
   * requests; it never lets through more than the budget, and may refuse up to n − 1 requests of
   * a window early (the unspent part of a lease when the budget runs out).
   */
  lease?: number;
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
  private built: { handle: Handle; limiter: RateLimiterAbstract; shared: boolean } | undefined;
  private readonly leases = new Map<string, { left: number; until: number }>();
  private readonly taking = new Map<string, Promise<void>>();

  constructor(readonly options: LimitOptions) {}

  /** Spend `points` of `key`'s budget: resolves with the state, rejects with a RateLimiterRes when over. */
  async consume(key: string, points = 1): Promise<RateLimiterRes> {
    const { limiter, shared } = await this.limiter();
    const lease = this.options.lease ?? 1;
    if (!shared || lease <= 1 || points !== 1) return limiter.consume(key, points);
    for (;;) {
      const now = Date.now();
      const held = this.leases.get(key);
      if (held && held.until > now && held.left > 0) {
        held.left -= 1;
        return new RateLimiterRes(held.left, held.until - now, 1, false);
      }
      // One lease at a time per key: concurrent requests wait for it rather than each taking one.
      let taking = this.taking.get(key);
      if (!taking) {
        taking = limiter
          .consume(key, lease)
          .then((taken) => {
            if (this.leases.size > 10_000) for (const [k, l] of this.leases) if (l.until <= now) this.leases.delete(k);
            this.leases.set(key, { left: lease, until: Date.now() + taken.msBeforeNext });
          })
          .finally(() => this.taking.delete(key));
        this.taking.set(key, taking);
      }
      await taking; // over budget: every request waiting on it is refused
    }
  }

  private async limiter(): Promise<{ limiter: RateLimiterAbstract; shared: boolean }> {
    // A new database handle (a test reopening its database) gets a limiter on the new pool.
    const handle = await getHandle();
    if (this.built?.handle !== handle) {
      const limiter = build(handle, this.options);
      this.built = { handle, limiter, shared: !(limiter instanceof RateLimiterMemory) };
      this.leases.clear();
    }
    return this.built;
  }
}

function build(handle: Handle, { lease: _lease, ...options }: LimitOptions): RateLimiterAbstract {
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
