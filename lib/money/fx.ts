import { currencyExponent } from "./currency";
import { divideDecimals, multiplyDecimals, parseDecimal, shiftDecimal, type ExactDecimal } from "./exact-decimal";

/** Decimals kept after dividing by a rate (an inverse quote): far below a minor unit. */
export const INVERSE_RATE_SCALE = 18;

/**
 * A rate quoted for a pair: 1 `base` = `rate` `quote`, in major units. Converting the other way
 * (quote → base) divides by it.
 */
export interface FxQuote {
  base: string;
  quote: string;
  rate: string;
}

/**
 * An exact amount of `from` minor units in `to` minor units at `quote` (which names the pair either
 * way round). Exact for a direct quote (a decimal product); an inverse quote divides, kept to
 * INVERSE_RATE_SCALE decimals of a minor unit. Rounding to minor units is the caller's one rounding.
 */
export function convertExact(amount: ExactDecimal, from: string, to: string, quote: FxQuote): ExactDecimal {
  const f = from.toLowerCase();
  const t = to.toLowerCase();
  if (f === t) return amount;
  const rate = parseDecimal(quote.rate, "rate");
  const shift = currencyExponent(t) - currencyExponent(f);
  const direct = quote.base.toLowerCase() === f && quote.quote.toLowerCase() === t;
  const converted = direct ? multiplyDecimals(amount, rate) : divideDecimals(amount, rate, Math.max(INVERSE_RATE_SCALE, amount.scale));
  return shiftDecimal(converted, shift);
}
