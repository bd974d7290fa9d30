/**
 * Budgets and quota warnings for API costs (docs/decisions/031-api-costs.md, "Budgets and quota
 * warnings"): pure rules, time passed in.
 */

export const DEFAULT_ALERT_THRESHOLDS: readonly number[] = [50, 80, 100];
export const QUOTA_THRESHOLDS: readonly number[] = [80, 100];
export const MAX_ALERT_THRESHOLD = 1000;
export const MAX_ALERT_THRESHOLDS = 20;

/** Why a list of thresholds is refused, or null when it is fine: integers 1..1000, unique, ascending. */
export function thresholdsProblem(thresholds: readonly number[]): string | null {
  if (thresholds.length === 0) return "alert_thresholds needs at least one percentage, e.g. [50, 80, 100].";
  if (thresholds.length > MAX_ALERT_THRESHOLDS) return `alert_thresholds takes at most ${MAX_ALERT_THRESHOLDS} percentages.`;
  if (!thresholds.every((t) => Number.isInteger(t) && t >= 1 && t <= MAX_ALERT_THRESHOLD)) return `Each alert threshold is a whole percentage from 1 to ${MAX_ALERT_THRESHOLD}.`;
  for (let i = 1; i < thresholds.length; i++) {
    const [prev, cur] = [thresholds[i - 1] as number, thresholds[i] as number];
    if (cur === prev) return `alert_thresholds lists ${cur} twice.`;
    if (cur < prev) return "List alert_thresholds in ascending order, e.g. [50, 80, 100].";
  }
  return null;
}

/**
 * The thresholds (percent of `budget`) that `spent` has reached and that have not fired yet, in
 * ascending order. A threshold t is reached when spent × 100 ≥ budget × t (exact, in integers or
 * any common scale); nothing is reached before any spend, and a budget of 0 or less reaches nothing.
 */
export function newlyCrossed(input: { spent: bigint; budget: bigint; thresholds: readonly number[]; fired: Iterable<number> }): number[] {
  const { spent, budget } = input;
  if (spent <= 0n || budget <= 0n) return [];
  const fired = new Set(input.fired);
  return [...new Set(input.thresholds)].sort((a, b) => a - b).filter((t) => !fired.has(t) && spent * 100n >= budget * BigInt(t));
}

/** [start, end) of the UTC month containing `at`. */
export function utcMonth(at: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return { start, end };
}

/** [start, end) of the UTC day or month containing `at`: a quota's window. */
export function quotaWindow(period: "day" | "month", at: Date): { start: Date; end: Date } {
  if (period === "month") return utcMonth(at);
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  return { start, end: new Date(start.getTime() + 86_400_000) };
}

/** The share of the budget spent, in whole percent (rounded down), for a progress bar. */
export function percentSpent(spent: number, budget: number): number {
  if (budget <= 0 || spent <= 0) return 0;
  return Math.floor((spent * 100) / budget);
}

/** The key that deduplicates the check enqueued after costs are recorded: one per UTC minute. */
export const minuteKey = (at: Date) => at.toISOString().slice(0, 16);
