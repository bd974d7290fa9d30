import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@/lib/errors";

/**
 * Per-API-key request budgets, in process memory (one budget per server instance; move to
 * RateLimiterPostgres when Tally runs several instances). `API_RATE_LIMIT_PER_SECOND` sets it
 * (default 100); it is read on every request so an operator can change it without code.
 */
export const DEFAULT_RATE_LIMIT_PER_SECOND = 100;

/**
 * The entitlement check has a budget of its own (`ENTITLEMENTS_RATE_LIMIT_PER_SECOND`, default
 * 5,000 per key): a SaaS calls it on every request it serves, from its cache-backed fast path
 * (docs/decisions/029-entitlements-cache.md), and that traffic must neither be refused at the
 * default 100/s nor spend the budget of the key's other calls.
 */
export const DEFAULT_ENTITLEMENTS_RATE_LIMIT_PER_SECOND = 5_000;

export type RateBudget = "default" | "entitlements";

const limiters = new Map<string, RateLimiterMemory>();

export function rateLimitPerSecond(budget: RateBudget = "default"): number {
  const entitlements = budget === "entitlements";
  const raw = entitlements ? process.env.ENTITLEMENTS_RATE_LIMIT_PER_SECOND : process.env.API_RATE_LIMIT_PER_SECOND;
  const fallback = entitlements ? DEFAULT_ENTITLEMENTS_RATE_LIMIT_PER_SECOND : DEFAULT_RATE_LIMIT_PER_SECOND;
  const n = raw === undefined || raw === "" ? fallback : Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

function limiterFor(budget: RateBudget, points: number): RateLimiterMemory {
  const key = `${budget}_${points}`;
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = new RateLimiterMemory({ points, duration: 1, keyPrefix: `api_${key}` });
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
 * API-key guessing (S4): failed authentications are counted per client address; past the limit the
 * address gets 429 before any key is looked up. Valid keys never count, so no one is locked out.
 */
const FAILED_AUTH_LIMIT = 20;
const failedAuth = new RateLimiterMemory({ points: FAILED_AUTH_LIMIT, duration: 60, keyPrefix: "api_auth_fail" });

export async function refuseKeyGuessing(ip: string): Promise<void> {
  const state = await failedAuth.get(ip);
  if (state && state.consumedPoints >= FAILED_AUTH_LIMIT) {
    const retryAfter = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
    throw new AppError("rate_limited", {
      userMessage: `Too many requests with invalid API keys from this address. Retry after ${retryAfter} seconds.`,
      extra: { retry_after: retryAfter },
    });
  }
}

export async function countFailedAuth(ip: string): Promise<void> {
  await failedAuth.consume(ip, 1).catch(() => undefined);
}
