import { data as iso4217 } from "currency-codes";
import { MoneyError } from "./errors";

/**
 * ISO 4217 codes that are not money a subscriber can be billed in. `currency-codes` reports these
 * with `digits: 0` because the ISO list says "N.A." for their minor unit, so without this list gold
 * (XAU) would look like a zero-decimal currency. Three groups:
 * - precious metals, bond-market units, SDR, Sucre, ADB unit, testing and "no currency" (minor unit N.A.);
 * - funds codes (ISO `IsFund="true"`): accounting units that settle in the national currency;
 * - UYW (Unidad Previsional): a 4-decimal index unit, not legal tender.
 * A test cross-checks this list against the ISO XML shipped with `currency-codes`.
 */
const NOT_BILLABLE: ReadonlySet<string> = new Set([
  // minor unit "N.A."
  "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX",
  // funds
  "BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI",
  // index unit
  "UYW",
]);

/** Upper-case code → exponent, built once; only codes Tally accepts are in it. */
const EXPONENTS: ReadonlyMap<string, number> = new Map(
  iso4217
    .filter((r) => !NOT_BILLABLE.has(r.code) && Number.isInteger(r.digits) && r.digits >= 0 && r.digits <= 4)
    .map((r) => [r.code, r.digits] as const),
);

/** Three ASCII letters; anything else ("US$", " aud", "usdd") is rejected before the lookup. */
const CODE_SHAPE = /^[A-Za-z]{3}$/;

function unsupported(input: unknown, param: string): MoneyError {
  const shown = typeof input === "string" ? JSON.stringify(input) : String(input);
  return new MoneyError(
    "currency_unsupported",
    `${param} ${shown} is not a supported currency: use a three-letter ISO 4217 code such as "aud", "usd" or "jpy"`,
    param,
  );
}

/**
 * Minor-unit exponent for a currency: JPY 0, AUD 2, KWD 3. Tally stores codes lower case ("aud"),
 * like Stripe, but either case is accepted here.
 */
export function currencyExponent(code: string, param = "currency"): number {
  if (typeof code !== "string" || !CODE_SHAPE.test(code)) throw unsupported(code, param);
  const exponent = EXPONENTS.get(code.toUpperCase());
  if (exponent === undefined) throw unsupported(code, param);
  return exponent;
}

/** The canonical (lower-case) form of a currency code, or MoneyError currency_unsupported. */
export function normalizeCurrency(input: string, param = "currency"): string {
  currencyExponent(input, param);
  return input.toLowerCase();
}

/** True when `code` is a currency Tally can bill in (either case). */
export function isSupportedCurrency(code: unknown): code is string {
  return typeof code === "string" && CODE_SHAPE.test(code) && EXPONENTS.has(code.toUpperCase());
}

/** All supported codes, lower case, sorted: for select boxes and the OpenAPI enum. */
export function supportedCurrencies(): string[] {
  return [...EXPONENTS.keys()].map((c) => c.toLowerCase()).sort();
}
