import { mulDiv } from "@/lib/money";
import { epochMs, TimeError } from "./errors";
import type { Period } from "./period";

/** A share of a period as an exact fraction; numerator = denominator for the whole period. */
export interface ProrationFraction {
  numerator: bigint;
  denominator: bigint;
}

/**
 * Whole seconds since the epoch, floored. Like Stripe, proration counts seconds, so two requests a
 * few milliseconds apart price the same. Floored in BigInt (toward −∞, also before 1970) so the
 * result is exact by construction rather than by an argument about float rounding.
 */
function floorSeconds(ms: number): bigint {
  const big = BigInt(ms);
  const q = big / 1000n;
  return big % 1000n < 0n ? q - 1n : q;
}

/**
 * The share of `period` covered by [from, to) (to defaults to the period end), by the second and
 * clamped to the period: a change before the period counts from its start, after it counts for
 * nothing. The denominator is the period's real length in seconds, so a month that contains a DST
 * change is 743 or 745 hours long and each second is priced the same.
 * `to` before `from` is a caller bug and throws rather than silently pricing zero.
 */
export function prorationFraction(period: Period, from: Date, to?: Date): ProrationFraction {
  const start = floorSeconds(epochMs(period.start, "period.start"));
  const end = floorSeconds(epochMs(period.end, "period.end"));
  if (end <= start) throw new TimeError("out_of_range", "period must end at least one second after it starts", "period");
  const fromMs = epochMs(from, "from");
  const toMs = to === undefined ? undefined : epochMs(to, "to");
  if (toMs !== undefined && toMs < fromMs) throw new TimeError("out_of_range", "to must not be before from", "to");

  const clamp = (s: bigint) => (s < start ? start : s > end ? end : s);
  const a = clamp(floorSeconds(fromMs));
  const b = toMs === undefined ? end : clamp(floorSeconds(toMs));
  return { numerator: b > a ? b - a : 0n, denominator: end - start };
}

/** amount × fraction, rounded once, half away from zero (the money rounding rule). */
export function prorate(amount: number, fraction: ProrationFraction): number {
  return mulDiv(amount, fraction.numerator, fraction.denominator);
}
