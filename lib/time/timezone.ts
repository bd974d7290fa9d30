import { Temporal } from "temporal-polyfill";
import { TimeError } from "./errors";

/**
 * Only IANA zone names are accepted: "Region/City" (plus "Etc/..." forms) or "UTC".
 * Abbreviations are refused even where a runtime accepts them: Node's Intl maps "PST" to
 * America/Los_Angeles and "EST" to a fixed −05:00 zone with no DST, so a customer who typed "EST"
 * would be billed on the wrong day for half the year. POSIX-style "PST8PDT", "GMT" and offsets
 * like "+05:00" are refused for the same reason: they are not a place.
 */
const IANA_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)+$/;
const MAX_LENGTH = 64;

/** Zones already resolved (a handful in practice; bounded so arbitrary input cannot grow it). */
const resolved = new Map<string, string>();
const MAX_RESOLVED = 512;

/** Canonical-case IANA id ("america/los_angeles" → "America/Los_Angeles"), or null when not accepted. */
function canonical(tz: unknown): string | null {
  if (typeof tz !== "string" || tz.length === 0 || tz.length > MAX_LENGTH) return null;
  const known = resolved.get(tz);
  if (known) return known;
  const id = resolve(tz);
  if (id !== null && resolved.size < MAX_RESOLVED) resolved.set(tz, id);
  return id;
}

function resolve(tz: string): string | null {
  if (tz.toUpperCase() !== "UTC" && !IANA_SHAPE.test(tz)) return null;
  try {
    // Temporal is what periodBoundary resolves zones with, so it is also what decides validity.
    return Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(tz).timeZoneId;
  } catch {
    return null;
  }
}

export function isValidTimeZone(tz: string): boolean {
  return canonical(tz) !== null;
}

/** The zone's canonical-case name, or TimeError timezone_invalid naming the field and the accepted form. */
export function normalizeTimeZone(tz: string, param = "timezone"): string {
  const id = canonical(tz);
  if (id === null) {
    throw new TimeError(
      "timezone_invalid",
      `${param} must be an IANA time zone name such as "Australia/Sydney", "America/Los_Angeles" or "UTC" (abbreviations like "PST" are not accepted)`,
      param,
    );
  }
  return id;
}
