// Time: passed in, never read; periods follow an anchor in the customer's zone.
// See docs/decisions/002-time-and-periods.md.
export { TimeError, type TimeErrorCode } from "./errors";
export { type Clock, systemClock, fixedClock } from "./clock";
export {
  type IntervalUnit,
  type Interval,
  INTERVAL_UNITS,
  MAX_INTERVAL_COUNT,
  isValidInterval,
  parseInterval,
} from "./interval";
export { isValidTimeZone, normalizeTimeZone } from "./timezone";
export { localDateString } from "./zoned";
export {
  type Period,
  type IndexedPeriod,
  periodBoundary,
  periodAt,
  addInterval,
  nthPeriod,
} from "./period";
export { type ProrationFraction, prorationFraction, prorate } from "./proration";
export { DAY_MS, addDays, calendarDaysBetween, daysLeft } from "./calendar";
