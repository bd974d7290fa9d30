import { Temporal } from "temporal-polyfill";
import { epochMs, TimeError } from "./errors";
import { parseInterval, type Interval, type IntervalUnit } from "./interval";
import { normalizeTimeZone } from "./timezone";
import { toLocal } from "./zoned";

/**
 * Billing periods follow an anchor. Boundary n is always computed from the anchor itself, never
 * from boundary n − 1: chaining "add one month" turns Jan 31 into Feb 28 and then the 28th for ever
 * (a bug other billing systems shipped), while anchor + n months gives Feb 29, Mar 31, Apr 30, ...
 *
 * Arithmetic happens on the customer's local wall clock (their IANA zone decides the calendar day):
 * take the anchor's local date-time, add n × count units with month-end clamping, keep the wall time,
 * and map back to an instant. If that wall time does not exist that day (DST gap) or exists twice
 * (overlap), "compatible" disambiguation picks the later-shifted time in a gap and the earlier one in
 * an overlap, like most calendars; the local calendar day stays the intended one either way.
 */

export interface Period {
  /** Inclusive. */
  start: Date;
  /** Exclusive. */
  end: Date;
}

export interface IndexedPeriod extends Period {
  /** 0 is the period starting at the anchor; negative indexes are periods before the anchor. */
  index: number;
}

const DURATION_FIELD: Readonly<Record<IntervalUnit, "days" | "weeks" | "months" | "years">> = {
  day: "days",
  week: "weeks",
  month: "months",
  year: "years",
};

/** Validated inputs plus the anchor's local date-time, computed once per public call. */
interface Schedule {
  anchorMs: number;
  /** The anchor's wall clock in `tz`; null in UTC, where the arithmetic needs no Temporal (utcBoundaryMs). */
  anchorLocal: Temporal.PlainDateTime | null;
  interval: Interval;
  tz: string;
}

function schedule(anchor: Date, interval: Interval, timeZone: string): Schedule {
  const anchorMs = epochMs(anchor, "anchor");
  const tz = normalizeTimeZone(timeZone);
  return { anchorMs, anchorLocal: tz === "UTC" ? null : toLocal(anchorMs, tz), interval: parseInterval(interval), tz };
}

const DAY_MS = 86_400_000;
/** The instants a Date (and a Temporal.Instant) can hold: ±100,000,000 days around 1970. */
const MAX_EPOCH_MS = 8.64e15;

/** Midnight UTC of a proleptic Gregorian date (any year: Date.UTC would read 0–99 as 1900–1999); month 0–11, day may overflow. */
function utcMidnight(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  return d.getTime();
}

/**
 * boundaryMs in UTC, with integer calendar arithmetic instead of Temporal (the billing run
 * computes a few boundaries per renewal): the same rules — add the units to the anchor's date,
 * clamp the day to the month's last, keep the time of day — and UTC has no gaps or overlaps to
 * resolve. period.property.test.ts holds both paths to the same oracle, and period.test.ts holds
 * this one to Temporal's answer.
 */
function utcBoundaryMs(anchorMs: number, unit: Interval["unit"], units: number): number {
  const a = new Date(anchorMs);
  const year = a.getUTCFullYear();
  const month = a.getUTCMonth();
  const day = a.getUTCDate();
  let ms: number;
  if (unit === "day" || unit === "week") {
    ms = anchorMs + units * (unit === "week" ? 7 : 1) * DAY_MS;
  } else {
    const months = year * 12 + month + (unit === "year" ? units * 12 : units);
    const y = Math.floor(months / 12);
    const m = months - y * 12;
    const lastDay = new Date(utcMidnight(y, m + 1, 1) - DAY_MS).getUTCDate();
    ms = utcMidnight(y, m, Math.min(day, lastDay)) + (anchorMs - utcMidnight(year, month, day));
  }
  if (!(Math.abs(ms) <= MAX_EPOCH_MS)) throw new TimeError("out_of_range", "period boundary is outside the supported date range", "n");
  return ms;
}

function boundaryMs(s: Schedule, n: number): number {
  // n = 0 is the anchor instant itself, even when the anchor sits in the second half of a DST
  // overlap that "compatible" would resolve to the first half.
  if (n === 0) return s.anchorMs;
  const units = n * s.interval.count;
  if (!Number.isSafeInteger(units)) throw new TimeError("out_of_range", "period index is too large", "n");
  if (!s.anchorLocal) return utcBoundaryMs(s.anchorMs, s.interval.unit, units);
  try {
    return s.anchorLocal
      .add({ [DURATION_FIELD[s.interval.unit]]: units }, { overflow: "constrain" })
      .toZonedDateTime(s.tz, { disambiguation: "compatible" }).epochMilliseconds;
  } catch (error) {
    if (error instanceof RangeError) throw new TimeError("out_of_range", "period boundary is outside the supported date range", "n");
    throw error;
  }
}

/** The nth period boundary after (n > 0) or before (n < 0) the anchor; n = 0 is the anchor. */
export function periodBoundary(anchor: Date, interval: Interval, n: number, timeZone: string): Date {
  if (!Number.isSafeInteger(n)) throw new TimeError("out_of_range", "n must be an integer", "n");
  return new Date(boundaryMs(schedule(anchor, interval, timeZone), n));
}

/** The next boundary one interval after `at`, in the customer's zone. */
export function addInterval(at: Date, interval: Interval, timeZone: string): Date {
  return periodBoundary(at, interval, 1, timeZone);
}

/** Period number `index`: [boundary(index), boundary(index + 1)). */
export function nthPeriod(anchor: Date, interval: Interval, index: number, timeZone: string): IndexedPeriod {
  if (!Number.isSafeInteger(index)) throw new TimeError("out_of_range", "index must be an integer", "index");
  const s = schedule(anchor, interval, timeZone);
  return { start: new Date(boundaryMs(s, index)), end: new Date(boundaryMs(s, index + 1)), index };
}

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/**
 * A first guess at the index of the period containing the local date `asOf`, from calendar
 * arithmetic alone. It is off by at most one or two (month-end clamping, wall time within the day,
 * DST), which the caller corrects against real boundaries.
 */
function estimateIndex(s: Schedule, atMs: number): number {
  const { unit, count } = s.interval;
  if (!s.anchorLocal) {
    // UTC: whole days between the dates, or months/years between them, from the Date fields alone.
    const from = new Date(s.anchorMs);
    const to = new Date(atMs);
    switch (unit) {
      case "day":
      case "week": {
        const days = Math.round((utcMidnight(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate()) - utcMidnight(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate())) / DAY_MS);
        return floorDiv(days, unit === "week" ? 7 * count : count);
      }
      case "month":
        return floorDiv((to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth()), count);
      case "year":
        return floorDiv(to.getUTCFullYear() - from.getUTCFullYear(), count);
    }
  }
  const from = s.anchorLocal.toPlainDate();
  const asOf = toLocal(atMs, s.tz).toPlainDate();
  switch (unit) {
    case "day":
    case "week": {
      const days = from.until(asOf, { largestUnit: "days" }).days;
      return floorDiv(days, unit === "week" ? 7 * count : count);
    }
    case "month":
      return floorDiv((asOf.year - from.year) * 12 + (asOf.month - from.month), count);
    case "year":
      return floorDiv(asOf.year - from.year, count);
  }
}

/** More than enough for the estimate's error; a bound so a broken invariant throws instead of spinning. */
const MAX_ADJUST_STEPS = 64;

/**
 * The period containing `asOf` (start ≤ asOf < end), found in O(1) boundary computations by
 * estimating the index from the calendar and then correcting, never by walking from the anchor.
 *
 * An `asOf` before the anchor is allowed and returns a negative index. That is well defined (the
 * schedule extends backwards exactly as it does forwards) and is what a future billing anchor needs:
 * the stub from signup to the anchor is prorated against period −1. Callers that must not bill before
 * the start check `index < 0`.
 */
export function periodAt(anchor: Date, interval: Interval, asOf: Date, timeZone: string): IndexedPeriod {
  const s = schedule(anchor, interval, timeZone);
  const at = epochMs(asOf, "asOf");
  let n = estimateIndex(s, at);
  let start = boundaryMs(s, n);
  let steps = 0;
  while (start > at) {
    if (++steps > MAX_ADJUST_STEPS) throw new Error("periodAt: boundaries are not increasing");
    n -= 1;
    start = boundaryMs(s, n);
  }
  let end = boundaryMs(s, n + 1);
  // `<=` also skips an empty period, which only a zone that deletes a whole calendar day can create
  // (Pacific/Apia skipped 2011-12-30): no instant belongs to it, so no invoice is due for it.
  while (end <= at) {
    if (++steps > MAX_ADJUST_STEPS) throw new Error("periodAt: boundaries are not increasing");
    n += 1;
    start = end;
    end = boundaryMs(s, n + 1);
  }
  return { start: new Date(start), end: new Date(end), index: n };
}
