import { z } from "zod";
import { AppError, isErrorCode, type ErrorCode } from "@/lib/errors";
import { errorField, log } from "@/lib/observability/logger";

/**
 * Every API error leaves through here as RFC 9457 `application/problem+json`, so the shape, the
 * code → status map and the "never leak internals" rule live in one place.
 */
export const PROBLEM_CONTENT_TYPE = "application/problem+json";
export const PROBLEM_TYPE_BASE = "https://docs.tally.dev/errors/";

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  param?: string;
  detail: string;
  request_id: string;
  [extension: string]: unknown;
}

/** What each error code means over HTTP: the only place a domain error meets a status. */
export const errorStatus: Readonly<Record<ErrorCode, number>> = {
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
  meter_unknown: 422,
  usage_value_missing: 422,
  usage_value_invalid: 422,
  usage_event_in_future: 422,
  usage_event_too_old: 422,
  cost_provider_unknown: 422,
  cost_rate_missing: 422,
  cost_units_invalid: 422,
  fx_rate_missing: 422,
  payment_failed: 402,
  gateway_refused: 400,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/** The HTTP status of an engine error (by its code). */
export function httpStatus(error: AppError): number {
  return errorStatus[error.code];
}

/** A rendered problem: what problemResponse sends and what idempotency stores for replay. */
export interface RenderedProblem {
  status: number;
  body: string;
  headers: Record<string, string>;
}

const TITLES: Partial<Record<ErrorCode, string>> = {
  invalid_request: "Invalid request",
  unknown_field: "Unknown field",
  invalid_json: "Invalid JSON",
  idempotency_key_invalid: "Invalid idempotency key",
  unauthenticated: "Unauthenticated",
  forbidden: "Forbidden",
  not_found: "Not found",
  conflict: "Conflict",
  idempotency_key_in_use: "Idempotency key in use",
  payload_too_large: "Payload too large",
  validation_failed: "Validation failed",
  amount_invalid: "Invalid amount",
  currency_unsupported: "Unsupported currency",
  out_of_range: "Out of range",
  too_long: "Too long",
  idempotency_key_mismatch: "Idempotency key mismatch",
  timezone_invalid: "Invalid time zone",
  interval_invalid: "Invalid interval",
  date_invalid: "Invalid date",
  meter_unknown: "Unknown meter",
  usage_value_missing: "Usage value missing",
  usage_value_invalid: "Invalid usage value",
  usage_event_in_future: "Usage event in the future",
  usage_event_too_old: "Usage event too old",
  cost_provider_unknown: "Unknown cost provider",
  cost_rate_missing: "No rate in force",
  cost_units_invalid: "Invalid units",
  fx_rate_missing: "No exchange rate",
  gateway_refused: "Refused by the payment gateway",
  rate_limited: "Too many requests",
  internal: "Internal error",
  unavailable: "Service unavailable",
};

export const AMOUNT_MESSAGE = "must be an integer number of minor units, e.g. 1099 = $10.99";

/** What an error tells the client: its code, status, detail, the parameter it names, and extra fields (e.g. `retry_after`). */
export interface Classified {
  code: string;
  status: number;
  detail: string;
  param?: string;
  extra?: Record<string, unknown>;
}

export function renderProblem(error: unknown, requestId: string): RenderedProblem {
  const c = classify(error, requestId);
  const body: ProblemBody = {
    ...c.extra,
    type: PROBLEM_TYPE_BASE + c.code,
    title: titleFor(c.code),
    status: c.status,
    code: c.code,
    ...(c.param === undefined ? {} : { param: c.param }),
    detail: c.detail,
    request_id: requestId,
  };
  const headers: Record<string, string> = { "content-type": PROBLEM_CONTENT_TYPE };
  const retryAfter = c.extra?.retry_after;
  if (c.code === "rate_limited" && typeof retryAfter === "number") headers["retry-after"] = String(retryAfter);
  return { status: c.status, body: JSON.stringify(body), headers };
}

export function problemResponse(error: unknown, requestId: string): Response {
  const p = renderProblem(error, requestId);
  return new Response(p.body, { status: p.status, headers: p.headers });
}

/**
 * The problem an error is, without the HTTP envelope: what GraphQL puts in an error's `extensions`
 * (app/api/graphql), so both APIs answer every error with the same code, param and wording.
 */
export function classify(error: unknown, requestId: string): Classified {
  if (error instanceof AppError) {
    const status = httpStatus(error);
    if (status >= 500) logInternal(error, requestId);
    return { code: error.code, status, detail: error.userMessage, param: error.param, extra: error.extra };
  }
  if (error instanceof z.core.$ZodError) return fromZod(error.issues);
  // lib/money and lib/time throw their own types; their code and param are meant for the client.
  const domain = domainError(error);
  if (domain) return domain;
  logInternal(error, requestId);
  return {
    code: "internal",
    status: 500,
    detail: `Something went wrong on our side. Please try again; if it persists, contact support quoting ${requestId}.`,
  };
}

function domainError(error: unknown): Classified | undefined {
  if (!(error instanceof Error) || (error.name !== "MoneyError" && error.name !== "TimeError")) return undefined;
  const { code, param } = error as Error & { code?: unknown; param?: unknown };
  if (typeof code !== "string") return undefined;
  return {
    code,
    status: isErrorCode(code) ? errorStatus[code] : 422,
    detail: error.message,
    param: typeof param === "string" ? param : undefined,
  };
}

function logInternal(error: unknown, requestId: string): void {
  log.error({ request_id: requestId, ...errorField(error) }, "request failed");
}

/** One problem per response, like Stripe: an unknown field first (it is a 400), then the first issue. */
export function fromZod(issues: readonly z.core.$ZodIssue[]): Classified {
  const unknown = issues.find((i) => i.code === "unrecognized_keys");
  const issue = unknown ?? issues[0];
  if (!issue) return { code: "validation_failed", status: 422, detail: "The request is invalid." };
  return classifyIssue(issue);
}

function classifyIssue(issue: z.core.$ZodIssue): Classified {
  const param = issue.path.length > 0 ? z.core.toDotPath(issue.path) : undefined;
  const name = param ?? "The request body";
  // A message the schema's author wrote ("must be an id starting with…") beats our generic wording.
  const authored = PREDICATE.test(issue.message) ? sentence(name, issue.message) : undefined;
  const result = (code: ErrorCode, detail: string, at = param): Classified => ({
    code,
    status: errorStatus[code],
    detail: authored ?? detail,
    param: at,
  });

  switch (issue.code) {
    case "unrecognized_keys": {
      const key = issue.keys[0] ?? "";
      const field = z.core.toDotPath([...issue.path, key]);
      const others = issue.keys.length > 1 ? ` (and ${issue.keys.length - 1} more)` : "";
      return result("unknown_field", `Unknown field "${field}"${others}: it is not a parameter of this request.`, field);
    }
    case "custom": {
      const code = issue.params?.code;
      const known = isErrorCode(code) ? code : "validation_failed";
      return result(known, sentence(name, issue.message));
    }
    case "invalid_type":
      if (isAmountLike(issue.path) && (issue.expected === "number" || issue.expected === "int")) {
        return result("amount_invalid", sentence(name, AMOUNT_MESSAGE));
      }
      if (/received undefined$/.test(issue.message)) return result("validation_failed", `${name} is required.`);
      return result("validation_failed", `${name} must be ${article(issue.expected)}.`);
    case "too_big":
      if (issue.origin === "string") {
        return result("too_long", `${name} must be at most ${String(issue.maximum)} characters.`);
      }
      if (issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint") {
        const bound = issue.inclusive === false ? "less than" : "at most";
        return result("out_of_range", `${name} must be ${bound} ${String(issue.maximum)}.`);
      }
      return result("validation_failed", `${name} must have at most ${String(issue.maximum)} ${unit(issue.origin)}.`);
    case "too_small":
      if (issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint") {
        const bound = issue.inclusive === false ? "greater than" : "at least";
        return result("out_of_range", `${name} must be ${bound} ${String(issue.minimum)}.`);
      }
      if (issue.origin === "string" && Number(issue.minimum) === 1) return result("validation_failed", `${name} must not be empty.`);
      return result("validation_failed", `${name} must have at least ${String(issue.minimum)} ${unit(issue.origin)}.`);
    case "invalid_value":
      return result("validation_failed", `${name} must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}.`);
    case "invalid_format":
      return result("validation_failed", `${name} must be a valid ${issue.format.replace(/_/g, " ")}.`);
    case "invalid_key":
    case "invalid_element": {
      const inner = issue.issues[0];
      if (inner) return classifyIssue({ ...inner, path: [...issue.path, ...inner.path] });
      return result("validation_failed", sentence(name, issue.message));
    }
    default:
      return result("validation_failed", sentence(name, issue.message));
  }
}

/** `amount`, `unit_amount`, `amount_off`, `flat_amount`…: money fields get the minor-units explanation. */
function isAmountLike(path: readonly PropertyKey[]): boolean {
  const last = path.at(-1);
  return typeof last === "string" && /(^|_)amount(_|$)/.test(last);
}

/** Our field schemas phrase messages as a predicate ("must be …") so the param can lead the sentence. */
const PREDICATE = /^(must|is|has|cannot|should)\b/;

function sentence(subject: string, message: string): string {
  const text = PREDICATE.test(message) ? `${subject} ${message}` : `${subject}: ${message}`;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function article(expected: string): string {
  if (expected === "int") return "an integer";
  if (expected === "null" || expected === "undefined") return expected;
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function unit(origin: string): string {
  if (origin === "string") return "characters";
  if (origin === "array" || origin === "set") return "items";
  return "entries";
}

function titleFor(code: string): string {
  const known = TITLES[code as ErrorCode];
  if (known) return known;
  const words = code.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
