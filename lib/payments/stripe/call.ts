import { GatewayError, type GatewayFailure } from "../gateway-error";
import type { StripeDeps } from "./deps";

/** How many times a 429 is waited out before the error is passed on. */
export const MAX_RATE_LIMIT_RETRIES = 5;
const MAX_RETRY_AFTER_MS = 60_000;
const DEFAULT_RETRY_AFTER_MS = 1_000;

/** The fields of a StripeError Tally reads (duck-typed, so it works across module copies of the SDK). */
export interface StripeErrorLike {
  type: string;
  rawType?: string;
  statusCode?: number;
  code?: string;
  decline_code?: string;
  advice_code?: string;
  message: string;
  headers?: Record<string, string | string[] | undefined>;
  payment_intent?: { id: string; status?: string; client_secret?: string | null } & Record<string, unknown>;
}

export function asStripeError(error: unknown): StripeErrorLike | null {
  if (!error || typeof error !== "object") return null;
  const e = error as Partial<StripeErrorLike>;
  return typeof e.type === "string" && e.type.startsWith("Stripe") ? (e as StripeErrorLike) : null;
}

export function isRateLimited(error: unknown): boolean {
  const e = asStripeError(error);
  return e !== null && (e.type === "StripeRateLimitError" || e.statusCode === 429);
}

/** Retry-After in ms (seconds or an HTTP date), bounded; 1 s when Stripe did not say. */
export function retryAfterMs(error: StripeErrorLike, nowMs: number): number {
  const raw = error.headers?.["retry-after"] ?? error.headers?.["Retry-After"];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value !== undefined && value !== "") {
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(MAX_RETRY_AFTER_MS, Math.ceil(seconds * 1000));
    const at = Date.parse(value);
    if (Number.isFinite(at)) return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - nowMs));
  }
  return DEFAULT_RETRY_AFTER_MS;
}

/**
 * Where a Stripe error belongs (lib/payments/gateway-error.ts): a card error is a decline; a
 * refusal of the request as made (invalid_request_error, other 4xx) is permanent; rate limits that
 * outlasted our waits, 409 lock conflicts, 5xx, timeouts and dropped connections are retryable, and
 * so are authentication and permission errors (Tally's key, not the request, is at fault).
 */
export function failureOf(e: StripeErrorLike): GatewayFailure {
  const status = e.statusCode ?? 0;
  if (e.type === "StripeCardError" || status === 402) return "declined";
  if (isRateLimited(e) || status === 409 || status >= 500) return "unavailable";
  if (e.type === "StripeConnectionError" || e.type === "StripeAPIError" || e.type === "StripeAuthenticationError" || e.type === "StripePermissionError") return "unavailable";
  if (e.type === "StripeInvalidRequestError" || e.type === "StripeIdempotencyError" || (status >= 400 && status < 500)) return "refused";
  return "unavailable";
}

/** A Stripe error as Tally's GatewayError; anything else (a bug of ours) is passed on unchanged. */
export function toGatewayError(error: unknown, operation: string): unknown {
  if (error instanceof GatewayError) return error;
  const e = asStripeError(error);
  if (!e) return error;
  return new GatewayError(failureOf(e), {
    operation,
    code: e.code ?? null,
    declineCode: e.decline_code ?? null,
    adviceCode: e.advice_code ?? null,
    gatewayParam: (e as { param?: string }).param ?? null,
    message: e.message,
    raw: e,
  });
}

/** The Stripe error inside a GatewayError (or the error itself), for the fields only Stripe has. */
export function stripeErrorOf(error: unknown): StripeErrorLike | null {
  return asStripeError(error instanceof GatewayError ? error.details.raw : error);
}

/**
 * One Stripe call: wait for a slot under the rate limit, run it, and when Stripe answers 429 wait
 * for Retry-After and run the very same request again. `run` closes over its idempotency key, so a
 * retried write is the same write; writes are never sent without one. What Stripe finally answers
 * with an error is thrown as a GatewayError saying whether it is a decline, a refusal or retryable.
 */
export async function stripeCall<T>(
  deps: StripeDeps,
  kind: "write" | "read",
  idempotencyKey: string | null,
  run: () => Promise<T>,
  operation: string,
): Promise<T> {
  if (kind === "write" && !idempotencyKey) throw new Error("a Stripe write needs an idempotency key");
  const limiter = kind === "write" ? deps.writes : deps.reads;
  for (let retry = 0; ; retry++) {
    await limiter.acquire();
    try {
      return await run();
    } catch (error) {
      const e = asStripeError(error);
      if (!e || !isRateLimited(error) || retry >= MAX_RATE_LIMIT_RETRIES) throw toGatewayError(error, operation);
      const waitMs = retryAfterMs(e, deps.clock.now());
      deps.hooks.onRateLimited?.({ kind, waitMs, retry: retry + 1, idempotencyKey });
      await deps.clock.sleep(waitMs);
    }
  }
}
