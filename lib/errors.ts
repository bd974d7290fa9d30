/**
 * The engine's one error type: a code and messages, no transport. `message` is for logs;
 * `userMessage` is safe to show; `param` names the field. What a code means over HTTP (its status)
 * is decided in one place, lib/api/problem.ts (`errorStatus`), which also renders problem+json.
 */
export const ERROR_CODES = [
  "invalid_request",
  "unknown_field",
  "invalid_json",
  "idempotency_key_invalid",
  "unauthenticated",
  "forbidden",
  "origin_rejected",
  "not_found",
  "conflict",
  "idempotency_key_in_use",
  "payload_too_large",
  "validation_failed",
  "amount_invalid",
  "currency_unsupported",
  "out_of_range",
  "too_long",
  "idempotency_key_mismatch",
  "timezone_invalid",
  "interval_invalid",
  "date_invalid",
  /** Usage events: no meter has the event's code. */
  "meter_unknown",
  /** Usage events: the property the meter aggregates is absent. */
  "usage_value_missing",
  /** Usage events: the value the meter aggregates is not a non-negative number. */
  "usage_value_invalid",
  "usage_event_in_future",
  /** Usage events: older than the late window and before the open period. */
  "usage_event_too_old",
  /** API costs: no cost provider has the code. */
  "cost_provider_unknown",
  /** API costs: no rate of the provider for the operation (and region) was in force at the cost's time, and no cost was given. */
  "cost_rate_missing",
  /** API costs: units (or a given cost) is not a non-negative decimal. */
  "cost_units_invalid",
  /** A conversion needs an exchange rate on or before the day, and there is none. */
  "fx_rate_missing",
  "payment_failed",
  /** The payment gateway refused the request as made (Stripe's invalid_request_error): retrying it unchanged cannot succeed. */
  "gateway_refused",
  "rate_limited",
  "internal",
  "unavailable",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES);

/** Whether `code` is one of the engine's error codes. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && KNOWN.has(code);
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  readonly param: string | undefined;
  readonly extra: Record<string, unknown> | undefined;
  /** A not_found error's kind of object ("customer") while its id is not named yet: the API names it from the request (lib/api/handler.ts). */
  readonly entity: string | undefined;

  constructor(
    code: ErrorCode,
    opts: { message?: string; userMessage?: string; param?: string; extra?: Record<string, unknown>; entity?: string } = {},
  ) {
    const userMessage = opts.userMessage ?? opts.message ?? defaultMessage(code);
    super(opts.message ?? userMessage);
    this.name = "AppError";
    this.code = code;
    this.userMessage = userMessage;
    this.param = opts.param;
    this.extra = opts.extra;
    this.entity = opts.entity;
  }
}

export function notFound(entity: string, param?: string, id?: string): AppError {
  if (id !== undefined) return new AppError("not_found", { userMessage: `No such ${entity}: '${id}'.`, param });
  return new AppError("not_found", { userMessage: `No such ${entity}.`, param, entity });
}

function defaultMessage(code: ErrorCode): string {
  switch (code) {
    case "unauthenticated":
      return "Authentication required.";
    case "forbidden":
      return "You do not have permission to do that.";
    case "not_found":
      return "Not found.";
    case "rate_limited":
      return "Too many requests. Please wait and try again.";
    case "internal":
      return "Something went wrong on our side. Please try again.";
    default:
      return "The request could not be completed.";
  }
}

/** An error in the database's own words: a driver error's cause, not the whole statement drizzle wraps it in. */
export function databaseMessage(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}
