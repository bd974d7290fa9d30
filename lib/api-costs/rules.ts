import { multiplyDecimals, parseDecimal, type ExactDecimal } from "@/lib/money";
import { eventTiming, USAGE_VALUE_PATTERN, type EventProblem } from "@/lib/usage/event-rules";

/** Costs per batch request (the usage batch's limit). */
export { MAX_USAGE_BATCH as MAX_COST_BATCH } from "@/lib/usage/event-rules";

const DECIMAL = new RegExp(USAGE_VALUE_PATTERN);

/** Units and given costs: non-negative decimals (numbers as JSON gives them, or plain decimal strings). */
export function costDecimal(value: string | number): string | null {
  const text = typeof value === "number" ? (Number.isFinite(value) && value >= 0 ? String(value) : "") : value;
  return DECIMAL.test(text) ? text : null;
}

export interface RateLike {
  id: string;
  operation: string;
  region: string | null;
  effectiveFrom: Date;
}

/**
 * The rate in force for an operation at `at`: among the rates for the cost's region, the latest that
 * took effect at or before `at`; when none names the region, the same among the provider-wide
 * rates (region null). A rate is never edited: a new one supersedes the old from its date, so a
 * month with a change costs each event at the rate of its own time.
 */
export function rateInForce<R extends RateLike>(rates: readonly R[], cost: { operation: string; region: string | null; at: Date }): R | null {
  return (cost.region === null ? null : latestRate(rates, cost.operation, cost.region, cost.at)) ?? latestRate(rates, cost.operation, null, cost.at);
}

/** The latest of the operation's rates for exactly this region (null: provider-wide) in force at `at`. */
function latestRate<R extends RateLike>(rates: readonly R[], operation: string, region: string | null, at: Date): R | null {
  let best: R | null = null;
  for (const r of rates) {
    if (r.operation !== operation || r.region !== region || r.effectiveFrom > at) continue;
    if (!best || r.effectiveFrom > best.effectiveFrom) best = r;
  }
  return best;
}

export type CostTiming = { late: boolean } | { refused: EventProblem };

/**
 * The usage rules for a cost's timestamp (lib/usage/event-rules.ts, setting usage.late_window_days):
 * at most 5 minutes ahead, at most the late window behind. A cost has no billing period; it is
 * `late` when it arrives after its UTC month has ended (that month may already have been reported).
 */
export function costTiming(input: { timestamp: Date; now: Date; lateWindowDays: number }): CostTiming {
  const timing = eventTiming({ timestamp: input.timestamp, now: input.now, lateWindowDays: input.lateWindowDays, openPeriodStart: null });
  if (typeof timing === "object") {
    const detail =
      timing.refused.code === "usage_event_in_future"
        ? "timestamp must be at most 5 minutes ahead of now."
        : `timestamp is more than ${input.lateWindowDays} days ago (the late window, setting usage.late_window_days).`;
    return { refused: { ...timing.refused, detail } };
  }
  const monthStart = Date.UTC(input.now.getUTCFullYear(), input.now.getUTCMonth(), 1);
  return { late: input.timestamp.getTime() < monthStart };
}

/** A cost's exact minor units: the given `cost_decimal`, else units × the rate's unit cost (what the insert statement computes in numeric). */
export function exactCost(cost: { given: string | null; units: string; unitCostDecimal: string | null }): ExactDecimal {
  if (cost.given !== null) return parseDecimal(cost.given, "cost_decimal");
  return multiplyDecimals(parseDecimal(cost.units, "units"), parseDecimal(cost.unitCostDecimal ?? "0", "unit_cost_decimal"));
}

/** What a rebilled cost is worth to its meter (decision 031): cost × (1 + markup_bps / 10,000), exact; the invoice line rounds once. */
export function rebillValue(cost: ExactDecimal, markupBps: number): ExactDecimal {
  return multiplyDecimals(cost, { units: BigInt(10_000 + markupBps), scale: 4 });
}

/** A markup percent (at most two decimals: basis points) → basis points; null when it is not a whole number of basis points. */
export function markupBps(percent: number): number | null {
  const bps = Math.round(percent * 100);
  return Number.isFinite(percent) && percent >= 0 && Math.abs(bps - percent * 100) < 1e-6 ? bps : null;
}

/** The usage identifier of a rebilled cost: the cost's own, in a namespace of its own. */
export const rebillIdentifier = (costIdentifier: string) => `api_cost:${costIdentifier}`;
