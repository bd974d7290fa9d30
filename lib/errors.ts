/**
 * The one error type. `message` is for logs; `userMessage` is safe to show; `param` names the field.
 * Codes map to HTTP statuses in one place (lib/api/problem.ts renders them as problem+json).
 */
export const errorStatus = {
  invalid_request: 400,
  unknown_field: 400,
  invalid_json: 400,
  idempotency_key_invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  origin_rejected: 403,
  not_found: 404,
  conflict: 409,
  idempotency_key_in_use: 409,
  payload_too_large: 413,
  validation_failed: 422,
  amount_invalid: 422,
  currency_unsupported: 422,
  out_of_range: 422,
  too_long: 422,
  idempotency_key_mismatch: 422,
  timezone_invalid: 422,
  interval_invalid: 422,
  date_invalid: 422,
  payment_failed: 402,
  /** The payment gateway refused the request as made (Stripe's invalid_request_error): retrying it unchanged cannot succeed. */
  gateway_refused: 400,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  readonly param: string | undefined;
  readonly status: number;
  readonly extra: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    opts: { message?: string; userMessage?: string; param?: string; extra?: Record<string, unknown> } = {},
  ) {
    const userMessage = opts.userMessage ?? opts.message ?? defaultMessage(code);
    super(opts.message ?? userMessage);
    this.name = "AppError";
    this.code = code;
    this.userMessage = userMessage;
    this.param = opts.param;
    this.status = errorStatus[code];
    this.extra = opts.extra;
  }
}

export function notFound(entity: string, param?: string): AppError {
  return new AppError("not_found", { userMessage: `No such ${entity}.`, param });
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
