import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { MAX_INTERVAL_COUNT, periodAt, periodBoundary, type Interval, type IntervalUnit } from "@/lib/time";
import { addDays, addMonthsClamped, offsetMinutes, secondsOfDay, wall, type CalendarDate } from "./test-oracle";

/**
 * R9 and the interval/periodAt properties. Expected calendar days come from test-oracle.ts (plain
 * integer calendar arithmetic and Intl), not from Temporal, so these check the implementation
 * against an independent model.
 */

const ZONES = [
  "UTC",
  "America/Los_Angeles",
  "Asia/Kolkata",
  "Pacific/Chatham",
  "Australia/Lord_Howe",
  // DST at local midnight (the gap is 00:00–01:00), and a northern-hemisphere European zone.
  "America/Santiago",
  "Europe/London",
] as const;

const HOUR = 3_600_000;

/** Anchors anywhere in 2023–2024, with wall times biased towards DST-transition hours. */
const anchorArb = fc
  .record({
    tz: fc.constantFrom(...ZONES),
    year: fc.constantFrom(2023, 2024),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.oneof(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 28, max: 31 })),
    hour: fc.oneof(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 1, 2, 3)),
    minute: fc.oneof(fc.integer({ min: 0, max: 59 }), fc.constantFrom(0, 15, 30, 45)),
    second: fc.integer({ min: 0, max: 59 }),
    millisecond: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ tz, ...fields }) => ({
    tz,
    anchor: new Date(Temporal.PlainDateTime.from(fields, { overflow: "constrain" }).toZonedDateTime(tz).epochMilliseconds),
  }));

const intervalArb: fc.Arbitrary<Interval> = fc.oneof(
  fc.record({ unit: fc.constant<IntervalUnit>("month"), count: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 12 })) }),
  fc.record({ unit: fc.constant<IntervalUnit>("year"), count: fc.integer({ min: 1, max: MAX_INTERVAL_COUNT.year }) }),
  fc.record({ unit: fc.constant<IntervalUnit>("week"), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ unit: fc.constant<IntervalUnit>("day"), count: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 90 })) }),
);

/** The local calendar date boundary n must land on, from the anchor's local date. */
function expectedDate(anchorDate: CalendarDate, interval: Interval, n: number): CalendarDate {
  const k = n * interval.count;
  switch (interval.unit) {
    case "day":
      return addDays(anchorDate, k);
    case "week":
      return addDays(anchorDate, 7 * k);
    case "month":
      return addMonthsClamped(anchorDate, k);
    case "year":
      return addMonthsClamped(anchorDate, 12 * k);
  }
}

const positiveMod = (a: number, m: number) => ((a % m) + m) % m;

describe("periodBoundary properties (R8, R9)", () => {
  it("lands on the intended local day at the anchor's wall time (or shifted forward by exactly a DST gap), strictly increasing", () => {
    fc.assert(
      fc.property(anchorArb, intervalArb, ({ tz, anchor }, interval) => {
        const a = wall(anchor.getTime(), tz);
        const anchorDate = { year: a.year, month: a.month, day: a.day };
        let previous = -Infinity;
        for (let n = -3; n <= 24; n++) {
          const ms = periodBoundary(anchor, interval, n, tz).getTime();
          const w = wall(ms, tz);
          expect({ year: w.year, month: w.month, day: w.day }).toEqual(expectedDate(anchorDate, interval, n));
          expect(positiveMod(ms, 1000)).toBe(positiveMod(anchor.getTime(), 1000));
          const shift = secondsOfDay(w) - secondsOfDay(a);
          if (shift !== 0) {
            const gap = (offsetMinutes(ms, tz) - offsetMinutes(ms - 3 * HOUR, tz)) * 60;
            expect(gap).toBeGreaterThan(0);
            expect(shift).toBe(gap);
          }
          expect(ms).toBeGreaterThan(previous);
          previous = ms;
        }
      }),
      { numRuns: 150 },
    );
  });

  it("is the same whether computed for n directly or after computing other boundaries (no hidden state)", () => {
    fc.assert(
      fc.property(anchorArb, intervalArb, fc.integer({ min: -20, max: 60 }), ({ tz, anchor }, interval, n) => {
        const first = periodBoundary(anchor, interval, n, tz).getTime();
        periodBoundary(anchor, interval, n + 7, tz);
        expect(periodBoundary(anchor, interval, n, tz).getTime()).toBe(first);
      }),
      { numRuns: 50 },
    );
  });
});

describe("periodAt properties (R9: exactly one period contains any instant)", () => {
  it("returns [boundary(i), boundary(i+1)) containing asOf, and the neighbours do not contain it", () => {
    fc.assert(
      fc.property(
        anchorArb,
        intervalArb,
        fc.integer({ min: -2 * 366 * 24, max: 10 * 366 * 24 }),
        fc.integer({ min: 0, max: HOUR - 1 }),
        ({ tz, anchor }, interval, hours, ms) => {
          const asOf = new Date(anchor.getTime() + hours * HOUR + ms);
          const p = periodAt(anchor, interval, asOf, tz);
          expect(p.start.getTime()).toBeLessThanOrEqual(asOf.getTime());
          expect(asOf.getTime()).toBeLessThan(p.end.getTime());
          expect(p.start.getTime()).toBe(periodBoundary(anchor, interval, p.index, tz).getTime());
          expect(p.end.getTime()).toBe(periodBoundary(anchor, interval, p.index + 1, tz).getTime());
          expect(periodBoundary(anchor, interval, p.index - 1, tz).getTime()).toBeLessThan(p.start.getTime());
          expect(periodBoundary(anchor, interval, p.index + 2, tz).getTime()).toBeGreaterThan(p.end.getTime());
          expect(Math.sign(p.index) === -1).toBe(asOf.getTime() < anchor.getTime());
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a boundary instant belongs to the period it starts; one millisecond earlier belongs to the previous one", () => {
    fc.assert(
      fc.property(anchorArb, intervalArb, fc.integer({ min: -5, max: 60 }), ({ tz, anchor }, interval, n) => {
        const boundary = periodBoundary(anchor, interval, n, tz);
        expect(periodAt(anchor, interval, boundary, tz).index).toBe(n);
        expect(periodAt(anchor, interval, new Date(boundary.getTime() - 1), tz).index).toBe(n - 1);
      }),
      { numRuns: 150 },
    );
  });
});
