import { MoneyError } from "./errors";

/**
 * Amounts in memory are JS numbers holding integer minor units. Only safe integers (|n| ≤ 2^53 − 1)
 * are exact, so that is the whole test: a float such as 10.999 or 0.30000000000000004 is never money,
 * and neither is a string, null or a bigint (bigint is for intermediate products only).
 */
export function isSafeMinor(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n);
}

/**
 * Σ values, exact. Accumulated in BigInt because adding numbers past 2^53 silently rounds: the check
 * has to look at the true sum, not a rounded one that happens to look safe.
 */
export function sumMinor(values: readonly number[], param = "values"): number {
  let total = 0n;
  values.forEach((v, i) => {
    if (!isSafeMinor(v)) {
      throw new MoneyError("amount_invalid", `${param}[${i}] must be an integer number of minor units`, `${param}[${i}]`);
    }
    total += BigInt(v);
  });
  return toSafeNumber(total, param);
}

/** BigInt → number, refusing anything a number cannot hold exactly. */
export function toSafeNumber(value: bigint, param = "amount"): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new MoneyError(
      "out_of_range",
      `${param} is too large: amounts must stay within ±${Number.MAX_SAFE_INTEGER} minor units`,
      param,
    );
  }
  // `0 + ...` turns a -0 into 0 so results compare and serialize cleanly.
  return 0 + Number(value);
}
