import { normalizeCurrency } from "@/lib/money";
import published from "./charge-minimums.json";
import { systemFormatter } from "@/lib/format";

/** Messages and details here have no one reader: the business locale writes them. */
const fmt = systemFormatter();

/**
 * Stripe's minimum charge amount per currency, in minor units (A$0.50 is 50, ¥50 is 50, HK$4.00 is
 * 400), as published at docs.stripe.com/currencies for an account settling in that currency. The
 * JSON beside this file is a copy of the shared stripe-openapi/charge-minimums.json, kept equal to
 * it by a test. The one home of the rule: the services never ask the gateway to charge less (an
 * invoice's amount due below it is carried to the customer's balance, decision 023) and the sandbox
 * refuses less, as Stripe does.
 */
const MINIMUMS: ReadonlyMap<string, number> = new Map(Object.entries(published.minimum_minor_units));

/** The most Stripe charges at once, in minor units (eight digits). */
export const MAXIMUM_CHARGE_MINOR_UNITS: number = published.maximum_minor_units;

/** The currencies with a published minimum, lower case. */
export function currenciesWithMinimum(): string[] {
  return [...MINIMUMS.keys()];
}

/**
 * The smallest amount Stripe charges in `currency`, in minor units; null when Stripe publishes none
 * for it (Tally then charges any positive amount, and a refusal is handled like any other).
 */
export function minimumChargeAmount(currency: string): number | null {
  return MINIMUMS.get(normalizeCurrency(currency)) ?? null;
}

/** True when `amount` is owed (> 0) but less than the currency's minimum charge: it must not be charged. */
export function isBelowMinimumCharge(amount: number, currency: string): boolean {
  const minimum = minimumChargeAmount(currency);
  return minimum !== null && amount > 0 && amount < minimum;
}

/**
 * The error Stripe answers a PaymentIntent below the minimum with (HTTP 400, invalid_request_error,
 * code amount_too_small, param amount), shaped like the `stripe` SDK's StripeInvalidRequestError so
 * the sandbox's refusal reads exactly like Stripe's.
 */
export class AmountTooSmallError extends Error {
  readonly type = "StripeInvalidRequestError";
  readonly rawType = "invalid_request_error";
  readonly code = "amount_too_small";
  readonly param = "amount";
  readonly statusCode = 400;
  readonly doc_url = "https://stripe.com/docs/error-codes/amount-too-small";

  constructor(currency: string) {
    super(amountTooSmallMessage(currency));
    this.name = "AmountTooSmallError";
  }
}

/** Stripe's message: "Amount must be at least A$0.50 aud". */
export function amountTooSmallMessage(currency: string): string {
  const minimum = minimumChargeAmount(currency) ?? 1;
  return `Amount must be at least ${fmt.money(minimum, currency)} ${currency.toLowerCase()}`;
}
