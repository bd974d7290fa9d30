import { divRoundHalfAwayFromZero } from "@/lib/money/rounding";
import type { SubscriptionStatus } from "@/lib/billing/subscriptions/statuses";

/**
 * MRR, as ChartMogul defines it (decision 032): what a subscription's invoices bill for each
 * recurring period, net of tax and discounts, as a monthly amount. This file is the definition;
 * `lib/services/analytics/rebuild-mrr.ts` computes the same thing as one set statement and the
 * property test (tests/analytics/mrr-property.test.ts) holds the two equal.
 */

export type IntervalUnit = "day" | "week" | "month" | "year";

/** A recurring invoice line as MRR reads it (metered prices and lines without a period are not recurring). */
export interface RecurringLine {
  /** The line's amount in minor units (a proration line: its prorated amount, negative for a credit). */
  amount: number;
  /** Discount allocated to the line. */
  discountAmount: number;
  /** Tax included in `amount` (tax-inclusive prices); exclusive tax is never in MRR. */
  inclusiveTax: number;
  quantity: number;
  /** The price's amount per unit for a whole period (null for tiered prices). */
  unitAmount: number | null;
  proration: boolean;
  interval: { unit: IntervalUnit; count: number };
  periodStart: Date;
  periodEnd: Date;
}

/** Months in one interval as a fraction: MRR = amount per period × num / den. */
export function monthsPerPeriod(interval: { unit: IntervalUnit; count: number }): { num: bigint; den: bigint } {
  const c = BigInt(interval.count);
  switch (interval.unit) {
    case "month":
      return { num: 1n, den: c };
    case "year":
      return { num: 1n, den: 12n * c };
    case "week":
      return { num: 52n, den: 12n * c };
    case "day":
      return { num: 365n, den: 12n * c };
  }
}

/**
 * A line's monthly recurring amount, rounded once, half away from zero:
 *   full × (amount − discount − inclusive tax) / amount × months-per-period
 * where `full` is the amount for a whole period: the line's own amount, or for a proration line the
 * price for the whole period (± quantity × unit amount), so a proration line "from this instant,
 * this item at its full rate" (or, as a credit, "without it"). Null when the line says nothing
 * (a zero proration line, or a tiered price's proration).
 */
export function lineMonthlyRate(line: RecurringLine): number | null {
  let full: number;
  if (!line.proration) full = line.amount;
  else if (line.unitAmount === null || line.amount === 0) return null;
  else full = Math.sign(line.amount) * line.quantity * line.unitAmount;
  if (line.amount === 0) return 0;
  const { num, den } = monthsPerPeriod(line.interval);
  const net = BigInt(line.amount - line.discountAmount - line.inclusiveTax);
  return Number(divRoundHalfAwayFromZero(BigInt(full) * net * num, BigInt(line.amount) * den));
}

/** Statuses in which a subscription's MRR counts: past_due counts until the subscription ends. */
export const MRR_STATUSES: readonly SubscriptionStatus[] = ["active", "past_due"];

/** A UTC day, YYYY-MM-DD. */
export type Day = string;

export const dayOf = (at: Date): Day => at.toISOString().slice(0, 10);
const nextMidnight = (day: Day): number => Date.parse(`${day}T00:00:00Z`) + 86_400_000;

export interface StatusChange {
  at: Date;
  status: SubscriptionStatus;
}

/**
 * A subscription's MRR on a UTC day: its state at the day's last instant. The lines whose period
 * holds that instant, summed, when its status then counts (trialing, paused, canceled, incomplete
 * and unpaid count 0). The lines of the latest period billed run on until the status ends them: a
 * renewal not billed yet (a test clock stands still, the billing run is behind) is not churn.
 */
export function subscriptionMrrOn(lines: readonly { rate: number | null; periodStart: Date; periodEnd: Date }[], statuses: readonly StatusChange[], day: Day): number {
  const end = nextMidnight(day);
  let status: SubscriptionStatus | null = null;
  for (const s of statuses) if (s.at.getTime() < end) status = s.status;
  if (!status || !MRR_STATUSES.includes(status)) return 0;
  const latest = Math.max(...lines.map((l) => l.periodEnd.getTime()));
  let sum = 0;
  for (const l of lines) {
    const open = l.periodEnd.getTime() === latest;
    if (l.rate !== null && l.periodStart.getTime() < end && (open || l.periodEnd.getTime() >= end)) sum += l.rate;
  }
  // Credits can outweigh charges by a rounding unit; MRR is never negative.
  return Math.max(0, sum);
}

export type MovementKind = "new" | "expansion" | "contraction" | "churn" | "reactivation";
export const movementKinds: readonly MovementKind[] = ["new", "expansion", "contraction", "churn", "reactivation"];

/**
 * What a customer's day did to its MRR in one currency: new (first above 0), reactivation (above 0
 * again after a churn), expansion, contraction (down, still above 0), churn (to 0). Null when
 * nothing moved.
 */
export function classifyMovement(previous: number, current: number, everAboveZero: boolean): MovementKind | null {
  if (current === previous) return null;
  if (previous <= 0) return current > 0 ? (everAboveZero ? "reactivation" : "new") : null;
  if (current <= 0) return "churn";
  return current > previous ? "expansion" : "contraction";
}

export interface Movement {
  day: Day;
  mrr: number;
  delta: number;
  kind: MovementKind;
}

/** A customer's movements from its MRR on the days it may have changed (any order; other days keep the last value). */
export function movementsOf(daily: ReadonlyMap<Day, number>): Movement[] {
  const out: Movement[] = [];
  let previous = 0;
  let ever = false;
  for (const day of [...daily.keys()].sort()) {
    const mrr = daily.get(day)!;
    const kind = classifyMovement(previous, mrr, ever);
    if (kind) out.push({ day, mrr, delta: mrr - previous, kind });
    if (mrr > 0) ever = true;
    previous = mrr;
  }
  return out;
}
