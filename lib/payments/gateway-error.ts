import { AppError, type ErrorCode } from "@/lib/errors";

/**
 * How a payment gateway said no, which decides where the failure lands (docs/decisions/022):
 * - `declined`: the card or the bank refused (Stripe `card_error`, HTTP 402). A 402 problem naming
 *   the decline, or a failed payment carrying it.
 * - `refused`: the gateway refused the request as made (Stripe `invalid_request_error`, 400/404).
 *   Permanent for that request: a 400 problem (`gateway_refused`) naming Stripe's reason, or a
 *   failed payment carrying it — never retried unchanged.
 * - `unavailable`: no answer that settles anything (rate limited after our waits, Stripe's 5xx,
 *   a timeout or a dropped connection, a lock conflict, our key refused). Retryable: a 503 problem,
 *   or a payment left pending for the next attempt and reconciliation.
 */
export type GatewayFailure = "declined" | "refused" | "unavailable";

const CODES: Record<GatewayFailure, ErrorCode> = { declined: "payment_failed", refused: "gateway_refused", unavailable: "unavailable" };

export interface GatewayErrorDetails {
  /** What Tally asked the gateway to do, in words ("create the customer", "charge the card"). */
  operation: string;
  /** The gateway's own code (`resource_missing`, `card_declined`, …). */
  code?: string | null;
  declineCode?: string | null;
  adviceCode?: string | null;
  /** The gateway's parameter the refusal is about. */
  gatewayParam?: string | null;
  /** The gateway's message, as it gave it. */
  message: string;
  /** Tally's parameter to name in the problem, when the caller knows it (`token`). */
  param?: string;
  /** The gateway's raw error, for adapters that read more of it (a 402's PaymentIntent). */
  raw?: unknown;
}

/**
 * A gateway's refusal or silence, as an AppError whose code says where it belongs (lib/api maps it to a status), so
 * any API route or server action renders it as a problem (never a 500) without a catch of its own;
 * services that turn it into a payment outcome read `failure`.
 */
export class GatewayError extends AppError {
  readonly failure: GatewayFailure;
  readonly details: GatewayErrorDetails;

  constructor(failure: GatewayFailure, details: GatewayErrorDetails) {
    super(CODES[failure], {
      message: `gateway ${failure} (${details.operation}): ${details.code ?? "no code"}: ${details.message}`,
      userMessage: userMessage(failure, details),
      param: details.param,
      extra: {
        gateway_failure: failure,
        ...(details.code ? { gateway_code: details.code } : {}),
        ...(details.declineCode ? { decline_code: details.declineCode } : {}),
        ...(details.gatewayParam ? { gateway_param: details.gatewayParam } : {}),
      },
    });
    this.name = "GatewayError";
    this.failure = failure;
    this.details = details;
  }

  /** The same failure, naming Tally's parameter in the problem. */
  withParam(param: string): GatewayError {
    return new GatewayError(this.failure, { ...this.details, param });
  }
}

function userMessage(failure: GatewayFailure, d: GatewayErrorDetails): string {
  switch (failure) {
    case "declined":
      return d.message || "Your card was declined.";
    case "refused":
      return `Stripe refused to ${d.operation}${d.code ? ` (${d.code})` : ""}: ${d.message || "the request is not valid."}`;
    case "unavailable":
      return `Stripe could not ${d.operation} just now. Nothing was done twice; please try again in a moment.`;
  }
}

export function isGatewayError(error: unknown, failure?: GatewayFailure): error is GatewayError {
  return error instanceof GatewayError && (failure === undefined || error.failure === failure);
}

/** The failure code a payment records when the gateway refused the charge request itself. */
export const GATEWAY_REFUSED = "gateway_refused";
