import { epochMs } from "./errors";
import { periodBoundary } from "./period";
import { normalizeTimeZone } from "./timezone";
import { toLocal } from "./zoned";

/**
 * Day counts in the customer's calendar. A day is a calendar day in the customer's zone, not 86,400
 * seconds: "due in 30 days" and "pauses for 60 days" land on the same wall-clock time that many
 * dates later, which across a daylight-saving change is 23 or 25 hours per changed day.
 */

/** 24 hours: for spans that are durations (a token's lifetime, a sending window), never for a customer's "days". */
export const DAY_MS = 86_400_000;

/** The same wall-clock time `days` calendar days after (or before, when negative) `at`, in `timeZone`. */
export function addDays(at: Date, days: number, timeZone: string): Date {
  return periodBoundary(at, { unit: "day", count: 1 }, days, timeZone);
}

/**
 * Whole calendar days from `from`'s date to `to`'s date in `timeZone` (negative when `to` is on an
 * earlier date): what "day 3 of dunning" or "ends in 5 days" counts.
 */
export function calendarDaysBetween(
  from: Date,
  to: Date,
  timeZone: string,
): number {
  const tz = normalizeTimeZone(timeZone);
  const a = toLocal(epochMs(from, "from"), tz).toPlainDate();
  const b = toLocal(epochMs(to, "to"), tz).toPlainDate();
  return a.until(b, { largestUnit: "day" }).days;
}

/** Calendar days left until `end` in `timeZone`, counting a part day as a day (0 once `end` has passed): "3 days left". */
export function daysLeft(now: Date, end: Date, timeZone: string): number {
  if (end.getTime() <= now.getTime()) return 0;
  const days = calendarDaysBetween(now, end, timeZone);
  // A later time of day on the last date is a part day more.
  const sameTimeOnEnd = addDays(now, days, timeZone);
  return sameTimeOnEnd.getTime() < end.getTime() ? days + 1 : Math.max(days, 1);
}
