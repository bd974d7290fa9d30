import { TimeError } from "./errors";

export type IntervalUnit = "day" | "week" | "month" | "year";

/** A billing interval: every `count` `unit`s, e.g. { unit: "month", count: 3 } is quarterly. */
export interface Interval {
  unit: IntervalUnit;
  count: number;
}

export const INTERVAL_UNITS: readonly IntervalUnit[] = ["day", "week", "month", "year"];

/**
 * Longest interval per unit: three years, Stripe's limit (1095 days, 156 weeks, 36 months, 3 years).
 * Matching the payment rail keeps every Tally plan representable in Stripe Billing; longer terms are
 * contracts, not subscriptions.
 */
export const MAX_INTERVAL_COUNT: Readonly<Record<IntervalUnit, number>> = {
  day: 1095,
  week: 156,
  month: 36,
  year: 3,
};

function isUnit(x: unknown): x is IntervalUnit {
  return typeof x === "string" && (INTERVAL_UNITS as readonly string[]).includes(x);
}

export function isValidInterval(x: unknown): x is Interval {
  if (typeof x !== "object" || x === null) return false;
  const { unit, count } = x as { unit?: unknown; count?: unknown };
  return isUnit(unit) && typeof count === "number" && Number.isInteger(count) && count >= 1 && count <= MAX_INTERVAL_COUNT[unit];
}

/** "month", "3 months", "2 week": the compact form used in the CLI and seed files. */
const STRING_FORM = /^(?:(\d{1,4}) )?(day|week|month|year)s?$/;

/**
 * Validates an untrusted interval and returns a clean copy. Accepts `{ unit, count }` (count
 * defaults to 1) or the string form above. Throws TimeError interval_invalid naming the field.
 */
export function parseInterval(input: unknown, param = "interval"): Interval {
  let unit: unknown;
  let count: unknown;
  if (typeof input === "string") {
    const match = STRING_FORM.exec(input);
    if (!match) {
      throw new TimeError("interval_invalid", `${param} must look like "month" or "3 months" (units: ${INTERVAL_UNITS.join(", ")})`, param);
    }
    unit = match[2];
    count = match[1] === undefined ? 1 : Number(match[1]);
  } else if (typeof input === "object" && input !== null) {
    ({ unit, count = 1 } = input as { unit?: unknown; count?: unknown });
  } else {
    throw new TimeError("interval_invalid", `${param} must be an object { unit, count }`, param);
  }
  if (!isUnit(unit)) {
    throw new TimeError("interval_invalid", `${param}.unit must be one of ${INTERVAL_UNITS.join(", ")}`, `${param}.unit`);
  }
  const max = MAX_INTERVAL_COUNT[unit];
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > max) {
    throw new TimeError("interval_invalid", `${param}.count must be an integer from 1 to ${max} for unit "${unit}"`, `${param}.count`);
  }
  return { unit, count };
}
