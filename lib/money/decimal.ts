import { currencyExponent } from "./currency";
import { MoneyError } from "./errors";
import { isSafeMinor, toSafeNumber } from "./minor-units";
import { divRoundHalfAwayFromZero, mulDiv } from "./rounding";

/**
 * Conversions between minor units and major-unit decimal strings. Both directions are pure string
 * manipulation: "10.99" × 100 in floating point is 1098.9999999999998, and ¥80 must never become ¥8000,
 * so the exponent only ever moves a decimal point.
 */

/** Optional leading '-', digits, optional '.' followed by at least one digit. No '+', exponents, spaces or commas. */
const MAJOR_SHAPE = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Longer than any safe amount can be written; caps the work done on hostile input. */
const MAX_MAJOR_LENGTH = 40;

/** "10.99" aud → 1099; "80" jpy → 80; "1.234" kwd → 1234. Fewer decimals than the exponent are fine ("10.9" → 1090). */
export function parseMajor(input: string, currency: string, param = "amount"): number {
  const exponent = currencyExponent(currency);
  const code = currency.toUpperCase();
  if (typeof input === "string" && input.length > MAX_MAJOR_LENGTH) {
    throw new MoneyError("out_of_range", `${param} is too long to be an amount`, param);
  }
  const match = typeof input === "string" ? MAJOR_SHAPE.exec(input) : null;
  if (!match) {
    throw new MoneyError(
      "amount_invalid",
      `${param} must be a decimal number such as ${exponent === 0 ? '"80"' : `"10.${"9".repeat(exponent)}"`} (${code})`,
      param,
    );
  }
  const [, sign = "", whole = "", fraction = ""] = match;
  if (fraction.length > exponent) {
    throw new MoneyError(
      "amount_invalid",
      exponent === 0
        ? `${code} has no minor unit: ${param} must be a whole number`
        : `${code} amounts have at most ${exponent} decimal places`,
      param,
    );
  }
  const minor = BigInt(whole + fraction.padEnd(exponent, "0"));
  return toSafeNumber(sign === "-" ? -minor : minor, param);
}

/** 1099 → "10.99", -5 → "-0.05", jpy 80 → "80", kwd 1234 → "1.234". */
export function toMajorString(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (!isSafeMinor(minor)) {
    throw new MoneyError("amount_invalid", "amount must be an integer number of minor units", "amount");
  }
  // String() of a safe integer is plain digits (exponent notation starts at 1e21).
  const digits = String(Math.abs(minor));
  const sign = minor < 0 ? "-" : "";
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, "0");
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

const DECIMAL_SHAPE = /^(\d{1,15})(?:\.(\d{1,12}))?$/;

/** Exact amounts of minor units are held as integers of 10⁻¹² minor units (a price has at most 12 decimals). */
export const EXACT_SCALE = 10n ** 12n;

/** A non-negative decimal string of minor units ("0.04") as an exact amount: 0.04 × 10¹². */
export function parseExactMinor(decimal: string, param = "unit_amount_decimal"): bigint {
  const match = DECIMAL_SHAPE.exec(decimal);
  if (!match) throw new MoneyError("amount_invalid", `${param} must be a non-negative decimal string of minor units, e.g. "0.04"`, param);
  const [, whole = "", fraction = ""] = match;
  return BigInt(whole + fraction.padEnd(12, "0"));
}

/** An exact amount rounded once to minor units, half away from zero (the one rounding of a line). */
export function roundExactMinor(exact: bigint, param = "amount"): number {
  return toSafeNumber(divRoundHalfAwayFromZero(exact, EXACT_SCALE), param);
}

/**
 * quantity × a sub-minor-unit price given as a decimal string of minor units ("0.04" = 0.04 cents
 * per unit), rounded once, half away from zero: 12345 × "0.04" → 494.
 */
export function multiplyDecimal(quantity: number, decimal: string, param = "unit_amount_decimal"): number {
  const exact = parseExactMinor(decimal, param);
  return mulDiv(quantity, exact, EXACT_SCALE);
}
