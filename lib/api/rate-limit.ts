import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@/lib/errors";

/**
 * Per-API-key request budget, in process memory (one budget per server instance; move to
 * RateLimiterPostgres when Tally runs several instances). `API_RATE_LIMIT_PER_SECOND` sets it
 * (default 100); it is read on every request so an operator can change it without code.
 */
export const DEFAULT_RATE_LIMIT_PER_SECOND = 100;

const limiters = new Map<number, RateLimiterMemory>();

export function rateLimitPerSecond(): number {
  const raw = process.env.API_RATE_LIMIT_PER_SECOND;
  const n = raw === undefined || raw === "" ? DEFAULT_RATE_LIMIT_PER_SECOND : Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_RATE_LIMIT_PER_SECOND;
}

function limiterFor(points: number): RateLimiterMemory {
  let limiter = limiters.get(points);
  if (!limiter) {
    limiter = new RateLimiterMemory({ points, duration: 1, keyPrefix: `api_${points}` });
    limiters.set(points, limiter);
  }
  return limiter;
}

/** Spend one request of the key's budget, or throw 429 `rate_limited` carrying `retry_after` seconds. */
export async function enforceRateLimit(apiKeyId: string): Promise<void> {
  try {
    await limiterFor(rateLimitPerSecond()).consume(apiKeyId, 1);
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
