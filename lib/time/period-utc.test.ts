import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeTimeZone } from "./timezone";
import { periodAt, periodBoundary } from "./period";
import { localDateString } from "./zoned";
import { MAX_INTERVAL_COUNT, type IntervalUnit } from "./interval";

/**
 * UTC boundaries are computed with integer calendar arithmetic (utcBoundaryMs), every other zone
 * with Temporal. "Etc/UTC" is the same clock under another name and takes the Temporal path, so
 * the two must agree everywhere — leap years, month ends, years before 1970 and before year 100,
 * times of day to the millisecond — and fail alike outside the supported range.
 */
describe("the UTC calendar path agrees with Temporal", () => {
  it('"Etc/UTC" is a zone of its own name (so it takes the Temporal path)', () => {
    expect(normalizeTimeZone("Etc/UTC")).toBe("Etc/UTC");
    expect(normalizeTimeZone("utc")).toBe("UTC");
  });

  const anchor = fc.date({ min: new Date("-000500-01-01T00:00:00Z"), max: new Date("+012000-12-31T23:59:59.999Z"), noInvalidDate: true });
  const interval = fc
    .constantFrom<IntervalUnit>("day", "week", "month", "year")
    .chain((unit) => fc.record({ unit: fc.constant(unit), count: fc.integer({ min: 1, max: MAX_INTERVAL_COUNT[unit] }) }));

  it("periodBoundary: every n", () => {
    fc.assert(
      fc.property(anchor, interval, fc.integer({ min: -200, max: 200 }), (a, iv, n) => {
        expect(periodBoundary(a, iv, n, "UTC").toISOString()).toBe(periodBoundary(a, iv, n, "Etc/UTC").toISOString());
      }),
      { numRuns: 3000 },
    );
  });

  it("periodAt: the period containing any instant", () => {
    fc.assert(
      fc.property(anchor, interval, fc.integer({ min: -20 * 366 * 86_400_000, max: 20 * 366 * 86_400_000 }), (a, iv, offset) => {
        const asOf = new Date(a.getTime() + offset);
        const utc = periodAt(a, iv, asOf, "UTC");
        const temporal = periodAt(a, iv, asOf, "Etc/UTC");
        expect({ start: utc.start.toISOString(), end: utc.end.toISOString(), index: utc.index }).toEqual({
          start: temporal.start.toISOString(),
          end: temporal.end.toISOString(),
          index: temporal.index,
        });
      }),
      { numRuns: 2000 },
    );
  });

  it("the same refusal past the last representable instant", () => {
    const last = new Date(8.64e15 - 1);
    for (const tz of ["UTC", "Etc/UTC"]) {
      expect(() => periodBoundary(last, { unit: "month", count: 1 }, 1, tz), tz).toThrow(/outside the supported date range/);
      expect(() => periodBoundary(new Date(-8.64e15), { unit: "day", count: 1 }, -1, tz), tz).toThrow(/outside the supported date range/);
    }
  });
});

describe("localDateString: the UTC path agrees with Temporal", () => {
  it("for any instant, including years before 1 and after 9999 (which take the Temporal path)", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("-000500-01-01T00:00:00Z"), max: new Date("+012000-12-31T23:59:59.999Z"), noInvalidDate: true }), (at) => {
        expect(localDateString(at, "UTC")).toBe(localDateString(at, "Etc/UTC"));
      }),
      { numRuns: 5000 },
    );
  });

  it("at the edges of the plain path", () => {
    for (const iso of ["0000-01-01T00:00:00.000Z", "-000001-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z", "+010000-01-01T00:00:00.000Z", "2026-12-31T23:59:59.999Z"]) {
      const at = new Date(iso);
      expect(localDateString(at, "UTC")).toBe(localDateString(at, "Etc/UTC"));
    }
    expect(localDateString(new Date("2026-12-31T23:59:59.999Z"), "UTC")).toBe("2026-12-31");
  });
});
