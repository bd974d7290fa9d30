import { currencyExponent } from "./currency";
import { toMajorString } from "./decimal";

/**
 * Display formatting for people (invoices, portal, emails). Intl does the locale work (symbol,
 * grouping, sign placement), but it is handed the exact decimal string from toMajorString rather
 * than `minor / 10 ** exponent`: float division drops the last digit of large 3-decimal amounts
 * (9007199254740991 fils would print as KWD 9,007,199,254,740.990).
 * Fraction digits are pinned to the ISO exponent because ICU's own defaults differ for some currencies.
 */
export function formatMoney(minor: number, currency: string, locale = "en-AU"): string {
  const exponent = currencyExponent(currency);
  const major = toMajorString(minor, currency) as `${number}`;
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: currency.toUpperCase(),
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(major);
}
