import { allocate, mulDiv } from "@/lib/money";
import type { DiscountTerms, LineInput } from "../types";

/**
 * The discount on each line, in minor units, rounded once per line.
 * - percent off: every applicable line (credits too, so a credit returns what was paid) gets
 *   amount × percent, rounded half away from zero;
 * - amount off: up to the sum of the applicable positive lines, split across them by
 *   largest-remainder allocation so the parts add up exactly.
 * A coupon restricted to plans applies only to lines of those plans.
 */
export function discountLines(lines: readonly LineInput[], discount: DiscountTerms | null): number[] {
  if (!discount) return lines.map(() => 0);
  const applies = (line: LineInput) => !discount.appliesToPlans || (line.planId !== null && discount.appliesToPlans.includes(line.planId));
  if (discount.percentOffBps !== null) {
    return lines.map((line) => (applies(line) ? mulDiv(line.amount, discount.percentOffBps ?? 0, 10_000) : 0));
  }
  const weights = lines.map((line) => (applies(line) && line.amount > 0 ? line.amount : 0));
  const applicable = weights.reduce((a, b) => a + b, 0);
  const off = Math.min(discount.amountOff ?? 0, applicable);
  if (off <= 0) return lines.map(() => 0);
  return allocate(off, weights);
}
