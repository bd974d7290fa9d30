import { currencyExponent } from "./currency";
import { MoneyError } from "./errors";
import { systemFormatter } from "@/lib/format/formatter";
import { isSafeMinor } from "./minor-units";

/** Plural unit names for the zero-decimal error message where a name reads better than the code. */
const WHOLE_UNIT_NAMES: Readonly<Record<string, string>> = { JPY: "yen", KRW: "won", VND: "dong" };

/**
 * The message has to teach the caller the convention, because the classic mistake is sending
 * major units (10.99, or ¥80 as 8000): "amount must be an integer number of minor units, e.g. 1099 = $10.99".
 */
function minorUnitsMessage(currency: string, param: string): string {
  const code = currency.toUpperCase();
  const exponent = currencyExponent(currency);
  if (exponent === 0) {
    const unit = WHOLE_UNIT_NAMES[code] ?? code;
    return `${code} has no minor unit: ${param} must be a whole number of ${unit}, e.g. 80`;
  }
  // The business locale's "$10.99", "US$10.99", "KWD 1.099"; the no-break space is flattened for plain-text logs.
  const example = systemFormatter().money(1099, currency).replace(/\u00a0/g, " ");
  return `${param} must be an integer number of minor units, e.g. 1099 = ${example}`;
}

/**
 * Validates an untrusted amount (already JSON-parsed) and returns it typed. Rejects floats, strings
 * ("1e3", "1099"), null, NaN, ±Infinity and unsafe integers. Note that the JSON *number* 1e3 parses
 * to 1000 and cannot be told apart here; the string "1e3" is rejected.
 * The currency is validated first, so an unknown currency is reported as such.
 */
export function assertMinorUnits(n: unknown, currency: string, param = "amount"): number {
  currencyExponent(currency);
  if (!isSafeMinor(n)) throw new MoneyError("amount_invalid", minorUnitsMessage(currency, param), param);
  return n;
}
