import { DAY_MS } from "@/lib/time";
/**
 * Month-end API spend from the month so far (issue 17; docs/decisions/031, "Forecast, profitability and hints"). Pure: the
 * daily totals and the "as of" instant are passed in.
 *
 * The method, `weekday_run_rate`:
 * 1. Weekday shape: over the last 28 complete days before `asOf` (across month boundaries), the mean
 *    spend of each day of the week, divided by the mean of those seven means (so the factors
 *    average 1). A weekend that costs 60 % of a weekday gets a factor near 0.6.
 * 2. Level: the mean of the last 14 complete days, each divided by its weekday's factor (the spend
 *    of an average day, with the weekly rhythm taken out). Recent, so growth shows within two weeks.
 * 3. Projection: every day left in the month costs level × its weekday's factor; today counts for
 *    the part of it still ahead. The forecast is what was spent plus that projection.
 * Fallbacks, when history is short (a new install, not a new month: the previous month's days are
 * history like any other): with 1–13 complete days, `run_rate` — their plain mean for every day
 * left; with none, `run_rate` from today's spend so far, extrapolated over the day; a month that has
 * ended is `actual`: nothing is projected.
 *
 * The projection is an estimate computed on floating-point daily totals; the spent figure stays
 * exact in the service, and the projection is added to it rounded.
 */

/** Complete days the weekday shape is learned from. */
export const SHAPE_DAYS = 28;
/** Complete days the level is the mean of. */
export const LEVEL_DAYS = 14;

export type ForecastMethod = "weekday_run_rate" | "run_rate" | "actual";

export interface MonthProjection {
  /** Spend expected from `asOf` to the month's end, in the daily totals' unit. */
  projected: number;
  method: ForecastMethod;
}

/** The UTC day key (YYYY-MM-DD) of an instant. */
export const dayKey = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** [start, end) of the UTC month of "YYYY-MM". */
export function monthRange(month: string): { start: Date; end: Date } {
  const [year, mon] = month.split("-").map(Number) as [number, number];
  return { start: new Date(Date.UTC(year, mon - 1, 1)), end: new Date(Date.UTC(year, mon, 1)) };
}

/**
 * What the rest of the month will cost, given spend per UTC day (`daily`: day key → amount; a day
 * absent after the first one present cost nothing; the current day holds its spend so far).
 */
export function projectMonthEnd(daily: ReadonlyMap<string, number>, month: { start: Date; end: Date }, asOf: Date): MonthProjection {
  const at = asOf.getTime();
  if (at >= month.end.getTime()) return { projected: 0, method: "actual" };
  const from = Math.max(at, month.start.getTime());
  const todayStart = Math.floor(from / DAY_MS) * DAY_MS;
  const keys = [...daily.keys()].sort();
  const firstKnown = keys.length > 0 ? Date.parse(`${keys[0]}T00:00:00Z`) : todayStart;
  const spendOn = (dayStart: number) => daily.get(dayKey(dayStart)) ?? 0;

  // Complete days before today, newest first, back to the first day anything was recorded.
  const complete: { dayStart: number; amount: number }[] = [];
  for (let d = todayStart - DAY_MS; d >= firstKnown && complete.length < SHAPE_DAYS; d -= DAY_MS) complete.push({ dayStart: d, amount: spendOn(d) });

  let expected: (dayStart: number) => number;
  let method: ForecastMethod;
  if (complete.length >= LEVEL_DAYS) {
    const factors = weekdayFactors(complete);
    const recent = complete.slice(0, LEVEL_DAYS).filter((c) => factors[weekday(c.dayStart)]! > 0);
    const level = recent.length === 0 ? 0 : recent.reduce((sum, c) => sum + c.amount / factors[weekday(c.dayStart)]!, 0) / recent.length;
    expected = (d) => level * factors[weekday(d)]!;
    method = "weekday_run_rate";
  } else if (complete.length > 0) {
    const level = complete.reduce((sum, c) => sum + c.amount, 0) / complete.length;
    expected = () => level;
    method = "run_rate";
  } else {
    const elapsed = (from - todayStart) / DAY_MS;
    const level = elapsed > 0 ? spendOn(todayStart) / elapsed : 0;
    expected = () => level;
    method = "run_rate";
  }

  const todayLeft = 1 - (from - todayStart) / DAY_MS;
  let projected = expected(todayStart) * todayLeft;
  for (let d = todayStart + DAY_MS; d < month.end.getTime(); d += DAY_MS) projected += expected(d);
  return { projected, method };
}

const weekday = (dayStart: number) => new Date(dayStart).getUTCDay();

/** Mean spend per weekday ÷ the mean of those means (1 for every weekday when nothing was spent). */
export function weekdayFactors(days: readonly { dayStart: number; amount: number }[]): number[] {
  const sums = Array.from({ length: 7 }, () => 0);
  const counts = Array.from({ length: 7 }, () => 0);
  for (const d of days) {
    const w = weekday(d.dayStart);
    sums[w]! += d.amount;
    counts[w]! += 1;
  }
  const means = sums.map((s, w) => (counts[w]! > 0 ? s / counts[w]! : null));
  const seen = means.filter((m): m is number => m !== null);
  const overall = seen.reduce((a, b) => a + b, 0) / Math.max(1, seen.length);
  if (overall <= 0) return Array.from({ length: 7 }, () => 1);
  return means.map((m) => (m === null ? 1 : m / overall));
}

/** The plain linear run-rate the method is measured against: spent ÷ days elapsed × days in month. */
export function linearRunRate(spent: number, month: { start: Date; end: Date }, asOf: Date): number {
  const elapsed = (Math.min(asOf.getTime(), month.end.getTime()) - month.start.getTime()) / DAY_MS;
  const days = (month.end.getTime() - month.start.getTime()) / DAY_MS;
  return elapsed > 0 ? (spent / elapsed) * days : spent;
}
