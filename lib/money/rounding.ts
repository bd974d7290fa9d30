import { MoneyError } from "./errors";
import { isSafeMinor, toSafeNumber } from "./minor-units";

/**
 * The single rounding rule in Tally: half away from zero (1.5 → 2, −1.5 → −2), applied once per
 * invoice line. It is symmetric, so a credit is exactly the negation of the matching charge, which
 * banker's rounding or Math.round (−1.5 → −1) would not give.
 */
export function divRoundHalfAwayFromZero(num: bigint, den: bigint): bigint {
  if (den === 0n) throw new MoneyError("out_of_range", "division by zero", "denominator");
  // BigInt division truncates toward zero and the remainder takes the sign of `num`.
  const quotient = num / den;
  const remainder = num % den;
  const absRemainder = remainder < 0n ? -remainder : remainder;
  const absDen = den < 0n ? -den : den;
  if (2n * absRemainder < absDen) return quotient;
  // At or past the half: step one unit further from zero, in the direction of the true result.
  return (num < 0n) !== (den < 0n) ? quotient - 1n : quotient + 1n;
}

function toBigIntFactor(value: number | bigint, param: string): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value)) {
    throw new MoneyError("out_of_range", `${param} must be an integer (use a bigint or a decimal rate string for fractions)`, param);
  }
  return BigInt(value);
}

/**
 * amount × numerator / denominator, rounded once, half away from zero. Done in BigInt because the
 * product routinely passes 2^53 (a large amount × seconds-in-period) and a float product would
 * round before we get to round.
 */
export function mulDiv(amount: number, numerator: number | bigint, denominator: number | bigint): number {
  if (!isSafeMinor(amount)) {
    throw new MoneyError("amount_invalid", "amount must be an integer number of minor units", "amount");
  }
  const num = toBigIntFactor(numerator, "numerator");
  const den = toBigIntFactor(denominator, "denominator");
  if (den === 0n) throw new MoneyError("out_of_range", "denominator must not be zero", "denominator");
  return toSafeNumber(divRoundHalfAwayFromZero(BigInt(amount) * num, den));
}
