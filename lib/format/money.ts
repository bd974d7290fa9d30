import { currencyExponent } from "@/lib/money/currency";
import { toMajorString } from "@/lib/money/decimal";

/**
 * Display formatting for people (invoices, portal, emails, the console, error messages): the one
 * money formatter, so an amount reads the same wherever it appears. The locale is the reader's
 * (lib/format/formatter.ts `formatterFor`); nothing here picks one. Intl does the locale work
 * (symbol, grouping, sign placement), but it is handed the exact decimal string from toMajorString
 * rather than `minor / 10 ** exponent`: float division drops the last digit of large 3-decimal
 * amounts (9007199254740991 fils would print as KWD 9,007,199,254,740.990).
 * Fraction digits are pinned to the ISO exponent because ICU's own defaults differ for some currencies.
 *
 * The convention: the reader's own currency has its plain symbol ("$10.00" for AUD in en-AU); any
 * other currency has a symbol that cannot be mistaken for it ("US$7.00", "NZ$", "€", "JP¥"), taken
 * from international English where the reader's English locale has none (CLDR's en-AU prints
 * "USD 7.00"), or its ISO code where no symbol exists ("KWD 1.234"). A negative amount carries a
 * true minus sign (U+2212, "−$4.84"), placed where the locale places its sign.
 */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const exponent = currencyExponent(currency);
  return formatMajor(toMajorString(minor, currency) as `${number}`, currency, exponent, exponent, locale);
}

/**
 * A unit price held exactly (10⁻¹² minor units, lib/money EXACT_SCALE), with as many decimals as it
 * has and at least the currency's: 0.2 minor units of AUD → "$0.002", 250 → "$2.50".
 */
export function formatUnitAmount(exact: bigint, currency: string, locale: string): string {
  const exponent = currencyExponent(currency);
  const negative = exact < 0n;
  const digits = (negative ? -exact : exact).toString().padStart(13 + exponent, "0");
  const cut = digits.length - 12 - exponent;
  const major = `${negative ? "-" : ""}${digits.slice(0, cut)}.${digits.slice(cut)}` as `${number}`;
  return formatMajor(major, currency, exponent, 12 + exponent, locale);
}

function formatMajor(major: `${number}`, currency: string, minDigits: number, maxDigits: number, locale: string): string {
  const code = currency.toUpperCase();
  const parts = (inLocale: string) =>
    new Intl.NumberFormat(inLocale, { style: "currency", currency: code, minimumFractionDigits: minDigits, maximumFractionDigits: maxDigits }).formatToParts(major);
  const showsCode = (p: Intl.NumberFormatPart[]) => p.some((part) => part.type === "currency" && part.value === code);
  let formatted = parts(locale);
  if (showsCode(formatted) && locale.toLowerCase().startsWith("en")) {
    const international = parts("en-GB");
    if (!showsCode(international)) formatted = international;
  }
  return formatted.map((part) => (part.type === "minusSign" ? "\u2212" : part.value)).join("");
}
