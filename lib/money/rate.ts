import { MoneyError } from "./errors";
import { mulDiv } from "./rounding";

/**
 * Rates (tax rates, percentage discounts) are decimal fraction strings: "0.1" is 10 %, "0.0825" is
 * 8.25 %. Strings, because 0.0825 as a float is not 0.0825; fractions, because "10" meaning 10 %
 * and "0.1" meaning 10 % cannot both be allowed. Accepted range 0 ≤ rate ≤ 1.
 */
export interface Rate {
  /** rate = numerator / denominator, denominator a power of ten. */
  numerator: bigint;
  denominator: bigint;
}

const RATE_SHAPE = /^(\d+)(?:\.(\d+))?$/;
/** Enough for any real tax rate; stops a megabyte of digits from becoming a megabyte-sized BigInt. */
const MAX_RATE_LENGTH = 24;

export function parseRate(rate: string, param = "rate"): Rate {
  const match = typeof rate === "string" && rate.length <= MAX_RATE_LENGTH ? RATE_SHAPE.exec(rate) : null;
  if (!match) {
    throw new MoneyError(
      "amount_invalid",
      `${param} must be a decimal fraction string such as "0.1" for 10%`,
      param,
    );
  }
  const [, whole = "", fraction = ""] = match;
  const numerator = BigInt(whole + fraction);
  const denominator = 10n ** BigInt(fraction.length);
  if (numerator > denominator) {
    throw new MoneyError("out_of_range", `${param} must be between 0 and 1 (write 10% as "0.1")`, param);
  }
  return { numerator, denominator };
}

/** amount × rate, rounded half away from zero: 1005 × "0.1" → 101. */
export function applyRate(amount: number, rate: string): number {
  const { numerator, denominator } = parseRate(rate);
  return mulDiv(amount, numerator, denominator);
}

/** Tax on a tax-exclusive (net) amount. Same arithmetic as applyRate, named for the call site. */
export function exclusiveTax(net: number, rate: string): number {
  return applyRate(net, rate);
}

/**
 * Tax contained in a tax-inclusive (gross) amount: gross × rate / (1 + rate), e.g. A$10.00 including
 * 10 % GST contains 91 cents of GST. Computed as gross × n / (d + n) so it is a single rounding.
 */
export function inclusiveTaxPortion(grossAmount: number, rate: string): number {
  const { numerator, denominator } = parseRate(rate);
  return mulDiv(grossAmount, numerator, denominator + numerator);
}
