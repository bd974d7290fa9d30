import { MoneyError } from "./errors";
import { divRoundHalfAwayFromZero } from "./rounding";
import { toSafeNumber } from "./minor-units";

/**
 * An exact decimal of any scale: `units × 10^-scale`. What SQL numeric sums of exact minor units
 * (api costs: a token count × a sub-minor rate) come back as, kept exact until the one rounding of
 * a report row. Plain bigint arithmetic; no floats anywhere.
 */
export interface ExactDecimal {
  units: bigint;
  scale: number;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;
/** Digits allowed on either side of the point: enough for any sum of costs, too few to make a DoS of. */
const MAX_DIGITS = 60;

export const ZERO_DECIMAL: ExactDecimal = { units: 0n, scale: 0 };

/** "12.345" → { units: 12345n, scale: 3 }. */
export function parseDecimal(text: string, param = "amount"): ExactDecimal {
  const match = text.length <= 2 * MAX_DIGITS + 2 ? DECIMAL.exec(text) : null;
  if (!match) throw new MoneyError("amount_invalid", `${param} must be a decimal string, e.g. "0.000015"`, param);
  const [, sign = "", whole = "", fraction = ""] = match;
  const units = BigInt(whole + fraction);
  return { units: sign ? -units : units, scale: fraction.length };
}

function rescale(d: ExactDecimal, scale: number): bigint {
  return d.units * 10n ** BigInt(scale - d.scale);
}

export function addDecimal(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}

export function multiplyDecimals(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** a × 10^exponent (exponent may be negative): moving between currencies' minor units. */
export function shiftDecimal(a: ExactDecimal, exponent: number): ExactDecimal {
  if (exponent >= 0) return a.scale >= exponent ? { units: a.units, scale: a.scale - exponent } : { units: a.units * 10n ** BigInt(exponent - a.scale), scale: 0 };
  return { units: a.units, scale: a.scale - exponent };
}

/**
 * a ÷ b, rounded half away from zero at `scale` decimals (the only inexact step: an inverse FX
 * rate). Division by zero throws.
 */
export function divideDecimals(a: ExactDecimal, b: ExactDecimal, scale: number): ExactDecimal {
  if (b.units === 0n) throw new MoneyError("out_of_range", "division by zero", "rate");
  // a/b = (a.units / 10^a.scale) / (b.units / 10^b.scale); at `scale`: a.units × 10^(scale + b.scale - a.scale) / b.units.
  const shift = scale + b.scale - a.scale;
  const num = shift >= 0 ? a.units * 10n ** BigInt(shift) : a.units;
  const den = shift >= 0 ? b.units : b.units * 10n ** BigInt(-shift);
  return { units: divRoundHalfAwayFromZero(num, den), scale };
}

/** The one rounding: to a whole number (of minor units), half away from zero. */
export function roundDecimal(a: ExactDecimal, param = "amount"): number {
  return toSafeNumber(divRoundHalfAwayFromZero(a.units, 10n ** BigInt(a.scale)), param);
}

/** The decimal as a plain string without trailing zeros ("0.00015", "12", "-3.5"). */
export function formatDecimal(a: ExactDecimal): string {
  const negative = a.units < 0n;
  const digits = (negative ? -a.units : a.units).toString().padStart(a.scale + 1, "0");
  const whole = digits.slice(0, digits.length - a.scale);
  const fraction = digits.slice(digits.length - a.scale).replace(/0+$/, "");
  return `${negative && (whole !== "0" || fraction) ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}
