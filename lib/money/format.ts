import { currencyExponent } from "./currency";
import { toMajorString } from "./decimal";

/**
 * Display formatting for people (invoices, portal, emails, the console, error messages): the one
 * money formatter, so an amount reads the same wherever it appears. Intl does the locale work
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
export function formatMoney(minor: number, currency: string, locale = "en-AU"): string {
  const exponent = currencyExponent(currency);
  const major = toMajorString(minor, currency) as `${number}`;
  const code = currency.toUpperCase();
  const parts = (inLocale: string) =>
    new Intl.NumberFormat(inLocale, { style: "currency", currency: code, minimumFractionDigits: exponent, maximumFractionDigits: exponent }).formatToParts(major);
  const showsCode = (p: Intl.NumberFormatPart[]) => p.some((part) => part.type === "currency" && part.value === code);
  let formatted = parts(locale);
  if (showsCode(formatted) && locale.toLowerCase().startsWith("en")) {
    const international = parts("en-GB");
    if (!showsCode(international)) formatted = international;
  }
  return formatted.map((part) => (part.type === "minusSign" ? "\u2212" : part.value)).join("");
}
