import { RateLimiterMemory } from "rate-limiter-flexible";
import { AppError } from "@/lib/errors";
import { RateLimiterRes, SharedLimiter } from "@/lib/http/rate-limiter";

/**
 * Per-API-key request budgets, shared by every instance (lib/http/rate-limiter.ts: in PostgreSQL,
 * in memory on PGlite). `API_RATE_LIMIT_PER_SECOND` sets it (default 100); it is read on every
 * request so an operator can change it without code.
 */
export const DEFAULT_RATE_LIMIT_PER_SECOND = 100;

/**
 * The entitlement check has a budget of its own (`ENTITLEMENTS_RATE_LIMIT_PER_SECOND`, default
 * 5,000 per key): a SaaS calls it on every request it serves, from its cache-backed fast path
 * (docs/decisions/029-entitlements-cache.md), and that traffic must neither be refused at the
 * default 100/s nor spend the budget of the key's other calls. It is counted in each instance's
 * memory, not shared: a shared budget costs a write per request, and the check exists to make
 * none (decision 029); it protects an instance's CPU, and the default budget the shared database.
 */
export const DEFAULT_ENTITLEMENTS_RATE_LIMIT_PER_SECOND = 5_000;

export type RateBudget = "default" | "entitlements";

const limiters = new Map<string, SharedLimiter | RateLimiterMemory>();

export function rateLimitPerSecond(budget: RateBudget = "default"): number {
  const entitlements = budget === "entitlements";
  const raw = entitlements ? process.env.ENTITLEMENTS_RATE_LIMIT_PER_SECOND : process.env.API_RATE_LIMIT_PER_SECOND;
  const fallback = entitlements ? DEFAULT_ENTITLEMENTS_RATE_LIMIT_PER_SECOND : DEFAULT_RATE_LIMIT_PER_SECOND;
  const n = raw === undefined || raw === "" ? fallback : Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

function limiterFor(budget: RateBudget, points: number): SharedLimiter | RateLimiterMemory {
  const key = `${budget}_${points}`;
  let limiter = limiters.get(key);
  if (!limiter) {
    const options = { points, duration: 1, keyPrefix: `api_${key}` };
    // The shared budget is taken a twentieth at a time: one statement per twenty requests at most (decision 038).
    limiter = budget === "entitlements" ? new RateLimiterMemory(options) : new SharedLimiter({ ...options, lease: Math.max(1, Math.floor(points / 20)) });
    limiters.set(key, limiter);
  }
  return limiter;
}

/** Spend one request of the key's budget (`budget`: which one), or throw 429 `rate_limited` carrying `retry_after` seconds. */
export async function enforceRateLimit(apiKeyId: string, budget: RateBudget = "default"): Promise<void> {
  try {
    await limiterFor(budget, rateLimitPerSecond(budget)).consume(apiKeyId, 1);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new AppError("rate_limited", {
      userMessage: `Too many requests for this API key. Retry after ${retryAfter} second${retryAfter === 1 ? "" : "s"}.`,
      extra: { retry_after: retryAfter },
    });
  }
}

/**
 * API-key guessing (S4): failed authentications are counted per client address, across instances;
 * past the limit the address gets 429 before any key is looked up. Valid keys never count, so no
 * one is locked out. Refusing reads no budget: an instance remembers an address it has seen go over
 * the limit until the window ends (another instance learns it at that address's next failure there).
 */
const FAILED_AUTH_LIMIT = 20;
const failedAuth = new SharedLimiter({ points: FAILED_AUTH_LIMIT, duration: 60, keyPrefix: "api_auth_fail" });
const guessing = new Map<string, number>();

export async function refuseKeyGuessing(ip: string, now = Date.now()): Promise<void> {
  const until = guessing.get(ip);
  if (until === undefined) return;
  if (until <= now) {
    guessing.delete(ip);
    return;
  }
  const retryAfter = Math.max(1, Math.ceil((until - now) / 1000));
  throw new AppError("rate_limited", {
    userMessage: `Too many requests with invalid API keys from this address. Retry after ${retryAfter} seconds.`,
    extra: { retry_after: retryAfter },
  });
}

export async function countFailedAuth(ip: string, now = Date.now()): Promise<void> {
  const state = await failedAuth.consume(ip, 1).catch((rejection: unknown) => (rejection instanceof RateLimiterRes ? rejection : null));
  if (!state || state.consumedPoints < FAILED_AUTH_LIMIT) return;
  if (guessing.size > 10_000) for (const [address, until] of guessing) if (until <= now) guessing.delete(address);
  guessing.set(ip, now + state.msBeforeNext);
}
