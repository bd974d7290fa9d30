import { DAY_MS } from "@/lib/time";
/**
 * The UTC calendar months API-cost reports are made of (costs are partitioned and budgeted by UTC
 * month: docs/decisions/031-api-costs.md). Pure: the caller passes `now`.
 */
export interface CostMonth {
  /** YYYY-MM */
  key: string;
  /** The first instant of the month, UTC. */
  from: Date;
  /** The first instant of the next month, UTC. */
  to: Date;
}


function month(year: number, monthIndex: number): CostMonth {
  const from = new Date(Date.UTC(year, monthIndex, 1));
  const to = new Date(Date.UTC(year, monthIndex + 1, 1));
  return { key: from.toISOString().slice(0, 7), from, to };
}

/** The UTC month `at` falls in. */
export function monthOf(at: Date): CostMonth {
  return month(at.getUTCFullYear(), at.getUTCMonth());
}

/** The month before `m`. */
export function previousMonth(m: CostMonth): CostMonth {
  return month(m.from.getUTCFullYear(), m.from.getUTCMonth() - 1);
}

/** The current month and the `count - 1` before it, newest first: the choices of a month picker. */
export function recentMonths(now: Date, count: number): CostMonth[] {
  const months = [monthOf(now)];
  while (months.length < count) months.push(previousMonth(months.at(-1)!));
  return months;
}

/** "2026-11" as a month, or null when it is not one or lies after the month of `now`. */
export function parseMonth(value: string | undefined, now: Date): CostMonth | null {
  const match = value ? /^(\d{4})-(0[1-9]|1[0-2])$/.exec(value) : null;
  if (!match) return null;
  const m = month(Number(match[1]), Number(match[2]) - 1);
  return m.from > now ? null : m;
}

/** The UTC days (YYYY-MM-DD) of `m` up to and including the day of `until` (all of them for a past month). */
export function daysOf(m: CostMonth, until: Date): string[] {
  const end = Math.min(m.to.getTime(), Math.floor(until.getTime() / DAY_MS) * DAY_MS + DAY_MS);
  const days: string[] = [];
  for (let t = m.from.getTime(); t < end; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
