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

const YEAR_0_MS = Date.parse("0000-01-01T00:00:00Z");
const YEAR_10000_MS = Date.parse("+010000-01-01T00:00:00Z");

/**
 * The customer's calendar day for an instant, "YYYY-MM-DD". This, not the UTC date, is the date
 * printed on an invoice and the day a period starts on.
 */
export function localDateString(at: Date, timeZone: string): string {
  const ms = epochMs(at, "at");
  const tz = normalizeTimeZone(timeZone);
  // UTC's day is the instant's ISO date, written plainly for years 0–9999 (the tax engine asks this
  // once per invoice; through Temporal it cost ≈ 8 µs, bench/RESULTS.md B8). "Etc/UTC" takes the
  // Temporal path, and period-utc.test.ts checks that the two agree.
  if (tz === "UTC" && ms >= YEAR_0_MS && ms < YEAR_10000_MS) return new Date(ms).toISOString().slice(0, 10);
  return toLocal(ms, tz).toPlainDate().toString();
}
