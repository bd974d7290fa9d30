import { addDays } from "@/lib/time";

/**
 * What a decline means for what Tally does next. Stripe's decline codes and advice codes
 * (docs.stripe.com/declines/codes): soft declines are worth retrying on the schedule, hard ones
 * are not — the customer must give us a new card — and authentication needs the customer present.
 */
export type DeclineAction = "retry" | "new_payment_method" | "authenticate";

const HARD = new Set([
  "lost_card",
  "stolen_card",
  "pickup_card",
  "fraudulent",
  "expired_card",
  "incorrect_number",
  "invalid_number",
  "incorrect_cvc",
  "invalid_cvc",
  "invalid_expiry_month",
  "invalid_expiry_year",
  "card_not_supported",
  "currency_not_supported",
  "do_not_try_again",
  "restricted_card",
  "security_violation",
  "service_not_allowed",
  "transaction_not_allowed",
  "revocation_of_authorization",
  "revocation_of_all_authorizations",
  "stop_payment_order",
  "merchant_blacklist",
  "invalid_account",
  "new_account_information_available",
  "card_velocity_exceeded",
]);

const SOFT = new Set([
  "insufficient_funds",
  "processing_error",
  "try_again_later",
  "issuer_not_available",
  "generic_decline",
  "do_not_honor",
  "approve_with_id",
  "call_issuer",
  "card_declined",
  "reenter_transaction",
  "withdrawal_count_limit_exceeded",
  "duplicate_transaction",
  "no_action_taken",
  "not_permitted",
  "offline_pin_required",
  "online_or_offline_pin_required",
  "pin_try_exceeded",
  "testmode_decline",
]);

export interface Decline {
  failureCode: string | null;
  declineCode: string | null;
  /** Stripe's advice_code: confirm_card_data | do_not_try_again | try_again_later. */
  adviceCode?: string | null;
}

export function declineAction(decline: Decline): DeclineAction {
  const code = decline.declineCode ?? decline.failureCode ?? "";
  if (code === "authentication_required" || decline.failureCode === "authentication_required") return "authenticate";
  if (decline.adviceCode === "do_not_try_again" || decline.adviceCode === "confirm_card_data") return "new_payment_method";
  if (decline.adviceCode === "try_again_later") return "retry";
  if (HARD.has(code) || (decline.failureCode !== null && HARD.has(decline.failureCode))) return "new_payment_method";
  if (SOFT.has(code)) return "retry";
  // Unknown codes are treated as soft: a retry costs little and a hard stop loses revenue.
  return "retry";
}

/** Default Smart-Retries-like schedule: 4 retries over 14 days, in days after the first failure. */
export const DEFAULT_RETRY_DAYS = [1, 3, 7, 14] as const;

/**
 * When to try again after the n-th failed attempt (1-based), or null when the schedule is spent or
 * the decline should not be retried. The schedule counts calendar days in the customer's zone
 * (`timeZone`): a retry "3 days after" is at the same local wall-clock time three dates later.
 */
export function nextRetryAt(
  firstFailureAt: Date,
  failedAttempts: number,
  decline: Decline,
  timeZone: string,
  schedule: readonly number[] = DEFAULT_RETRY_DAYS,
): Date | null {
  if (declineAction(decline) !== "retry") return null;
  const days = schedule[failedAttempts - 1];
  if (days === undefined) return null;
  return addDays(firstFailureAt, days, timeZone);
}

/**
 * The first instant of the schedule still ahead of `asOf`, after `failedAttempts` failures that
 * started at `firstFailureAt`. A retry that ran late (the runner was down) spends the points it
 * missed rather than firing them all at once, so an invoice is never retried more often than the
 * schedule says. Null when the decline must not be retried or the schedule is spent.
 */
export function nextRetryAfter(
  firstFailureAt: Date,
  failedAttempts: number,
  decline: Decline,
  asOf: Date,
  timeZone: string,
  schedule: readonly number[] = DEFAULT_RETRY_DAYS,
): Date | null {
  for (let n = Math.max(1, failedAttempts); ; n++) {
    const at = nextRetryAt(firstFailureAt, n, decline, timeZone, schedule);
    if (at === null || at > asOf) return at;
  }
}

/** A failed charge of an invoice: its attempt number and when it failed (settled, or recorded when it never settled). */
export interface FailedAttempt {
  attempt: number;
  at: Date;
}

/**
 * When the retry schedule charges an invoice next after a failure, from every failed attempt of the
 * invoice including the one just recorded, in calendar days of the customer's zone. Only invoices
 * Tally collects itself are retried; the first invoice of a subscription that never started is not,
 * because the customer was at checkout and saw the decline — retrying it days later would charge
 * someone who walked away. The schedule counts from the first failed attempt (by attempt number).
 */
export function nextAttemptAfterFailure(input: {
  collectionMethod: string;
  billingReason: string | null;
  subscriptionStatus: string | null;
  failures: readonly FailedAttempt[];
  decline: Decline;
  asOf: Date;
  timeZone: string;
  schedule: readonly number[];
}): Date | null {
  if (input.collectionMethod !== "charge_automatically") return null;
  if (input.billingReason === "subscription_create" && input.subscriptionStatus === "incomplete") return null;
  const first = input.failures.reduce<FailedAttempt | null>((a, f) => (a === null || f.attempt < a.attempt ? f : a), null);
  if (!first) return null;
  return nextRetryAfter(first.at, input.failures.length, input.decline, input.asOf, input.timeZone, input.schedule);
}
