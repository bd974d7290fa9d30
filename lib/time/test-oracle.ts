/**
 * Test-only reference implementations for lib/time, deliberately built WITHOUT Temporal (on Intl and
 * plain integer calendar arithmetic) so the property tests do not check Temporal against itself.
 * Not exported from index.ts.
 */

export interface Wall {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Local wall clock of an instant in `tz`, via ICU. */
export function wall(ms: number, tz: string): Wall {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** UTC offset in minutes at an instant (local wall clock read as UTC, minus the instant). */
export function offsetMinutes(ms: number, tz: string): number {
  const w = wall(ms, tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const wholeSeconds = ms - (((ms % 1000) + 1000) % 1000);
  return (asUtc - wholeSeconds) / 60_000;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** Year/month shifted by k months, day clamped to the month's length. */
export function addMonthsClamped(d: CalendarDate, k: number): CalendarDate {
  const index = d.year * 12 + (d.month - 1) + k;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(d.day, daysInMonth(year, month)) };
}

/** Calendar date shifted by k days (proleptic Gregorian, via UTC arithmetic; years ≥ 100 only). */
export function addDays(d: CalendarDate, k: number): CalendarDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + k));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export function secondsOfDay(w: Pick<Wall, "hour" | "minute" | "second">): number {
  return w.hour * 3600 + w.minute * 60 + w.second;
}
