import { MoneyError } from "./errors";
import { isSafeMinor } from "./minor-units";

/**
 * Splits `total` minor units in proportion to `weights` so the parts sum to exactly `total`
 * (largest-remainder / Hamilton method): everyone gets the floor of their exact share, and the few
 * units left over go to the largest remainders, ties to the lower index. Each part is therefore
 * within one minor unit of its exact share, and equal weights give parts that differ by at most one.
 * Rounding each share independently instead is how invoices end up a cent off their lines.
 *
 * Negative totals are mirrored (allocate(−t) = −allocate(t)) so a refund splits like the charge.
 * Weights are non-negative safe integers with at least one positive; scale fractional weights first.
 * All arithmetic is BigInt: total × weight easily exceeds 2^53.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  if (!isSafeMinor(total)) {
    throw new MoneyError("amount_invalid", "total must be an integer number of minor units", "total");
  }
  if (!Array.isArray(weights) || weights.length === 0) {
    throw new MoneyError("out_of_range", "weights must be a non-empty list", "weights");
  }
  let weightSum = 0n;
  const bigWeights = weights.map((w, i) => {
    if (typeof w !== "number" || !Number.isSafeInteger(w) || w < 0) {
      throw new MoneyError("out_of_range", `weights[${i}] must be a non-negative integer`, `weights[${i}]`);
    }
    const big = BigInt(w);
    weightSum += big;
    return big;
  });
  if (weightSum === 0n) {
    throw new MoneyError("out_of_range", "at least one weight must be positive", "weights");
  }

  if (total < 0) return allocate(-total, weights).map((part) => 0 - part);

  const bigTotal = BigInt(total);
  const parts: bigint[] = [];
  const remainders: bigint[] = [];
  let leftover = bigTotal;
  for (const w of bigWeights) {
    const product = bigTotal * w;
    const floor = product / weightSum; // non-negative, so truncation is floor
    parts.push(floor);
    remainders.push(product % weightSum);
    leftover -= floor;
  }

  // leftover < weights.length, and every index that receives a unit has a non-zero remainder,
  // so zero weights always get zero.
  const order = remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (let k = 0; k < Number(leftover); k++) {
    const { index } = order[k]!;
    parts[index] = parts[index]! + 1n;
  }
  // Each part ≤ total, so it is a safe integer.
  return parts.map((p) => Number(p));
}

/** Largest n for allocateEvenly: well past any real split, small enough that the array fits in memory. */
export const MAX_EVEN_PARTS = 1_000_000;

/** total split into n parts differing by at most one unit, larger parts first: 10 / 3 → [4, 3, 3]. */
export function allocateEvenly(total: number, n: number): number[] {
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_EVEN_PARTS) {
    throw new MoneyError("out_of_range", `n must be an integer from 1 to ${MAX_EVEN_PARTS}`, "n");
  }
  return allocate(total, new Array<number>(n).fill(1));
}
