import { rateInForce, type RateLike } from "./rules";

export type RateStatus = "in_force" | "scheduled" | "superseded";

/**
 * Each rate's place in its provider's history at `now`: the rate each (operation, region) prices
 * with now (rateInForce, the rule that prices costs), rates that take effect later, and the
 * superseded rest. A regional operation without a regional rate in force yet is priced by the
 * provider-wide rate, which is then in force for it too.
 */
export function rateStatuses<R extends RateLike>(rates: readonly R[], now: Date): Map<string, RateStatus> {
  const inForce = new Set<string>();
  for (const r of rates) {
    const current = rateInForce(rates, { operation: r.operation, region: r.region, at: now });
    if (current) inForce.add(current.id);
  }
  return new Map(rates.map((r) => [r.id, inForce.has(r.id) ? "in_force" : r.effectiveFrom > now ? "scheduled" : "superseded"]));
}

/** Newest first (by effective date, then operation and region): how the console lists a history. */
export function newestFirst<R extends RateLike>(rates: readonly R[]): R[] {
  return [...rates].sort((a, b) => b.effectiveFrom.getTime() - a.effectiveFrom.getTime() || a.operation.localeCompare(b.operation) || (a.region ?? "").localeCompare(b.region ?? ""));
}
