import { Temporal } from "temporal-polyfill";
import { epochMs, TimeError } from "./errors";
import { normalizeTimeZone } from "./timezone";

/** The instant `ms` as a wall-clock date-time in `tz` (tz already validated). */
export function toLocal(ms: number, tz: string): Temporal.PlainDateTime {
  try {
    return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz).toPlainDateTime();
  } catch (error) {
    if (error instanceof RangeError) throw new TimeError("out_of_range", "date is outside the supported range");
    throw error;
  }
}

/**
 * The customer's calendar day for an instant, "YYYY-MM-DD". This, not the UTC date, is the date
 * printed on an invoice and the day a period starts on.
 */
export function localDateString(at: Date, timeZone: string): string {
  return toLocal(epochMs(at, "at"), normalizeTimeZone(timeZone)).toPlainDate().toString();
}
