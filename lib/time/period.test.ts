import { Temporal } from "temporal-polyfill";
import { afterEach, describe, expect, it, vi } from "vitest";
import { addInterval, nthPeriod, periodAt, periodBoundary, TimeError, type Interval } from "@/lib/time";
import { addMonthsClamped, daysInMonth, offsetMinutes, secondsOfDay, wall } from "./test-oracle";

const monthly: Interval = { unit: "month", count: 1 };

/** The instant of a local wall-clock time in a zone ("2024-01-31T09:00" in Australia/Sydney). */
function local(isoWall: string, tz: string): Date {
  return new Date(Temporal.PlainDateTime.from(isoWall).toZonedDateTime(tz).epochMilliseconds);
}

function localString(d: Date, tz: string): string {
  return Temporal.Instant.fromEpochMilliseconds(d.getTime()).toZonedDateTimeISO(tz).toPlainDateTime().toString();
}

describe("periodBoundary: month-end anchors (no drift)", () => {
  it.each([
    ["2024-01-31T00:00:00", ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30", "2024-07-31"]],
    ["2023-01-31T00:00:00", ["2023-01-31", "2023-02-28", "2023-03-31", "2023-04-30", "2023-05-31"]],
    ["2024-01-30T00:00:00", ["2024-01-30", "2024-02-29", "2024-03-30", "2024-04-30"]],
    ["2024-01-29T00:00:00", ["2024-01-29", "2024-02-29", "2024-03-29"]],
    ["2023-01-29T00:00:00", ["2023-01-29", "2023-02-28", "2023-03-29"]],
    ["2024-03-31T00:00:00", ["2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30"]],
    ["2024-08-31T00:00:00", ["2024-08-31", "2024-09-30", "2024-10-31", "2024-11-30", "2024-12-31", "2025-01-31", "2025-02-28"]],
  ])("anchor %s, monthly, UTC", (anchorWall, expectedDates) => {
    const anchor = local(anchorWall, "UTC");
    expectedDates.forEach((date, n) => {
      expect(periodBoundary(anchor, monthly, n, "UTC").toISOString().slice(0, 10)).toBe(date);
    });
  });

  it("chaining addInterval would drift to the 29th; periodBoundary from the anchor does not", () => {
    const anchor = local("2024-01-31T09:00:00", "Australia/Sydney");
    const chained = addInterval(addInterval(addInterval(anchor, monthly, "Australia/Sydney"), monthly, "Australia/Sydney"), monthly, "Australia/Sydney");
    expect(localString(chained, "Australia/Sydney")).toBe("2024-04-29T09:00:00");
    expect(localString(periodBoundary(anchor, monthly, 3, "Australia/Sydney"), "Australia/Sydney")).toBe("2024-04-30T09:00:00");
  });

  it.each([
    ["2024-02-29T10:00:00", 1, "2025-02-28T10:00:00"],
    ["2024-02-29T10:00:00", 3, "2027-02-28T10:00:00"],
    ["2024-02-29T10:00:00", 4, "2028-02-29T10:00:00"],
    ["2024-02-29T10:00:00", -4, "2020-02-29T10:00:00"],
    ["2024-02-29T10:00:00", -1, "2023-02-28T10:00:00"],
  ])("yearly from %s, n = %i → %s (Feb 29 clamps per year)", (anchorWall, n, expected) => {
    const tz = "Australia/Sydney";
    expect(localString(periodBoundary(local(anchorWall, tz), { unit: "year", count: 1 }, n, tz), tz)).toBe(expected);
  });

  it.each([
    ["day", 1, 1, "2024-03-01T08:00:00"],
    ["day", 1, 2, "2024-03-02T08:00:00"],
    ["day", 7, 1, "2024-03-07T08:00:00"],
    ["day", 1, -1, "2024-02-28T08:00:00"],
    ["week", 1, 1, "2024-03-07T08:00:00"],
    ["week", 2, 3, "2024-04-11T08:00:00"],
    ["month", 1, 1, "2024-03-29T08:00:00"],
    ["month", 3, 1, "2024-05-29T08:00:00"],
    ["month", 3, 4, "2025-02-28T08:00:00"],
    ["month", 1, -1, "2024-01-29T08:00:00"],
    ["month", 1, -2, "2023-12-29T08:00:00"],
    ["year", 2, 1, "2026-02-28T08:00:00"],
    ["year", 1, 4, "2028-02-29T08:00:00"],
  ] as const)("%s × %i, n = %i from 2024-02-29T08:00 → %s", (unit, count, n, expected) => {
    const tz = "Asia/Kolkata";
    const anchor = local("2024-02-29T08:00:00", tz);
    expect(localString(periodBoundary(anchor, { unit, count }, n, tz), tz)).toBe(expected);
  });

  it("n = 0 is exactly the anchor, milliseconds included", () => {
    const anchor = new Date(Date.UTC(2024, 0, 31, 12, 34, 56, 789));
    expect(periodBoundary(anchor, monthly, 0, "Pacific/Chatham").getTime()).toBe(anchor.getTime());
    expect(periodBoundary(anchor, monthly, 2, "UTC").getTime()).toBe(Date.UTC(2024, 2, 31, 12, 34, 56, 789));
  });

  it("an anchor in the second half of a DST overlap is still boundary 0", () => {
    // 2024-11-03 01:30 PST (the second 01:30 in Los Angeles) = 09:30Z.
    const anchor = new Date("2024-11-03T09:30:00Z");
    expect(periodBoundary(anchor, { unit: "day", count: 1 }, 0, "America/Los_Angeles").toISOString()).toBe("2024-11-03T09:30:00.000Z");
    expect(periodBoundary(anchor, { unit: "day", count: 1 }, 1, "America/Los_Angeles").toISOString()).toBe("2024-11-04T09:30:00.000Z");
  });

  it("rejects bad input with TimeError", () => {
    const anchor = new Date("2024-01-31T00:00:00Z");
    expect(() => periodBoundary(new Date(NaN), monthly, 1, "UTC")).toThrowError(expect.objectContaining({ code: "date_invalid", param: "anchor" }));
    expect(() => periodBoundary(anchor, monthly, 1, "PST")).toThrowError(expect.objectContaining({ code: "timezone_invalid" }));
    expect(() => periodBoundary(anchor, { unit: "month", count: 0 }, 1, "UTC")).toThrowError(expect.objectContaining({ code: "interval_invalid" }));
    expect(() => periodBoundary(anchor, monthly, 1.5, "UTC")).toThrowError(expect.objectContaining({ code: "out_of_range" }));
    expect(() => periodBoundary(anchor, { unit: "year", count: 3 }, 1_000_000, "UTC")).toThrowError(TimeError);
  });
});

describe("periodBoundary: time zones and DST (R9)", () => {
  it.each([
    // Los Angeles: 02:30 does not exist on 2024-03-10 → 03:30 PDT, same calendar day; next month back to 02:30.
    ["America/Los_Angeles", "2024-02-10T02:30:00", monthly, ["2024-02-10T02:30:00", "2024-03-10T03:30:00", "2024-04-10T02:30:00"]],
    // 01:30 happens twice on 2024-11-03 → the earlier (PDT) one.
    ["America/Los_Angeles", "2024-10-03T01:30:00", monthly, ["2024-10-03T01:30:00", "2024-11-03T01:30:00", "2024-12-03T01:30:00"]],
    // Lord Howe moves 30 minutes: 02:15 does not exist on 2024-10-06 → 02:45.
    ["Australia/Lord_Howe", "2024-09-06T02:15:00", monthly, ["2024-09-06T02:15:00", "2024-10-06T02:45:00", "2024-11-06T02:15:00"]],
    // Chatham (+12:45/+13:45): 03:00 does not exist on 2024-09-29 → 04:00.
    ["Pacific/Chatham", "2024-08-29T03:00:00", monthly, ["2024-08-29T03:00:00", "2024-09-29T04:00:00", "2024-10-29T03:00:00"]],
    // Daily across the Los Angeles spring-forward.
    ["America/Los_Angeles", "2024-03-09T02:30:00", { unit: "day", count: 1 }, ["2024-03-09T02:30:00", "2024-03-10T03:30:00", "2024-03-11T02:30:00"]],
    // Kolkata has no DST: wall time never moves.
    ["Asia/Kolkata", "2024-01-31T23:59:59", monthly, ["2024-01-31T23:59:59", "2024-02-29T23:59:59", "2024-03-31T23:59:59"]],
  ] as const)("%s from %s", (tz, anchorWall, interval, expected) => {
    const anchor = local(anchorWall, tz);
    expected.forEach((wallTime, n) => {
      expect(localString(periodBoundary(anchor, interval, n, tz), tz)).toBe(wallTime);
    });
  });

  it("the overlap resolves to the earlier instant (PDT, 08:30Z)", () => {
    const anchor = local("2024-10-03T01:30:00", "America/Los_Angeles");
    expect(periodBoundary(anchor, monthly, 1, "America/Los_Angeles").toISOString()).toBe("2024-11-03T08:30:00.000Z");
  });

  it("the same instant anchored in different zones bills on each zone's local day", () => {
    // 2024-01-31T12:00Z is Jan 31 in Los Angeles and Feb 1 in Chatham.
    const anchor = new Date("2024-01-31T12:00:00Z");
    expect(localString(periodBoundary(anchor, monthly, 1, "America/Los_Angeles"), "America/Los_Angeles").slice(0, 10)).toBe("2024-02-29");
    expect(localString(periodBoundary(anchor, monthly, 1, "Pacific/Chatham"), "Pacific/Chatham").slice(0, 10)).toBe("2024-03-01");
  });
});

describe("R8: every anchor day 1–31 × 48 monthly cycles, 2023 and 2024, five zones", () => {
  const zones = ["UTC", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Chatham", "Australia/Lord_Howe"];
  // 02:15 falls in the spring-forward gap in Los Angeles and Lord Howe, 03:15 in Chatham's (02:45–03:45).
  const wallTimes = ["00:00:00", "02:15:00", "03:15:00", "23:59:59"];

  it.each(zones)("%s", (tz) => {
    let checked = 0;
    let gapsSeen = 0;
    for (const year of [2023, 2024]) {
      for (let day = 1; day <= 31; day++) {
        for (const time of wallTimes) {
          const anchor = local(`${year}-01-${String(day).padStart(2, "0")}T${time}`, tz);
          const anchorWall = wall(anchor.getTime(), tz);
          let previous = -Infinity;
          for (let n = 0; n <= 48; n++) {
            const ms = periodBoundary(anchor, monthly, n, tz).getTime();
            const w = wall(ms, tz);
            const expected = addMonthsClamped({ year, month: 1, day }, n);
            // The local calendar day is min(anchor day, days in that month), always.
            expect({ year: w.year, month: w.month, day: w.day }).toEqual(expected);
            expect(w.day).toBe(Math.min(day, daysInMonth(expected.year, expected.month)));
            const shift = secondsOfDay(w) - secondsOfDay(anchorWall);
            if (shift !== 0) {
              // Only a DST gap may move the wall time, forward by exactly the gap.
              const gap = (offsetMinutes(ms, tz) - offsetMinutes(ms - 3 * 3_600_000, tz)) * 60;
              expect(gap).toBeGreaterThan(0);
              expect(shift).toBe(gap);
              gapsSeen++;
            }
            expect(ms).toBeGreaterThan(previous);
            previous = ms;
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(2 * 31 * wallTimes.length * 49);
    // The 02:15 / 03:15 anchors must actually have crossed spring-forward days in the zones that have DST.
    if (tz !== "UTC" && tz !== "Asia/Kolkata") expect(gapsSeen).toBeGreaterThan(0);
    else expect(gapsSeen).toBe(0);
  });
});

describe("periodAt", () => {
  const tz = "Australia/Sydney";
  const anchor = local("2024-01-31T09:00:00", tz);

  it.each([
    ["2024-01-31T09:00:00", 0, "2024-01-31T09:00:00", "2024-02-29T09:00:00"],
    ["2024-02-15T00:00:00", 0, "2024-01-31T09:00:00", "2024-02-29T09:00:00"],
    ["2024-02-29T08:59:59", 0, "2024-01-31T09:00:00", "2024-02-29T09:00:00"],
    ["2024-02-29T09:00:00", 1, "2024-02-29T09:00:00", "2024-03-31T09:00:00"],
    ["2024-03-31T08:59:59", 1, "2024-02-29T09:00:00", "2024-03-31T09:00:00"],
    ["2024-04-30T10:00:00", 3, "2024-04-30T09:00:00", "2024-05-31T09:00:00"],
    ["2028-03-01T00:00:00", 49, "2028-02-29T09:00:00", "2028-03-31T09:00:00"],
    ["2024-01-31T08:59:59", -1, "2023-12-31T09:00:00", "2024-01-31T09:00:00"],
    ["2023-11-30T09:00:00", -2, "2023-11-30T09:00:00", "2023-12-31T09:00:00"],
  ])("as of %s → index %i [%s, %s)", (asOfWall, index, start, end) => {
    const p = periodAt(anchor, monthly, local(asOfWall, tz), tz);
    expect(p.index).toBe(index);
    expect(localString(p.start, tz)).toBe(start);
    expect(localString(p.end, tz)).toBe(end);
  });

  it("nthPeriod agrees with periodBoundary", () => {
    const p = nthPeriod(anchor, monthly, 3, tz);
    expect(p).toEqual({ index: 3, start: periodBoundary(anchor, monthly, 3, tz), end: periodBoundary(anchor, monthly, 4, tz) });
  });

  describe("cost", () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it.each([
      [{ unit: "day", count: 1 }, "2124-06-15T12:00:00"],
      [{ unit: "week", count: 1 }, "2124-06-15T12:00:00"],
      [{ unit: "month", count: 1 }, "2124-06-15T12:00:00"],
      [{ unit: "day", count: 1 }, "1924-06-15T12:00:00"],
    ] as const)("%j a century away computes a handful of boundaries, not thousands", (interval, asOfWall) => {
      const add = vi.spyOn(Temporal.PlainDateTime.prototype, "add");
      const p = periodAt(anchor, interval, local(asOfWall, tz), tz);
      expect(Math.abs(p.index)).toBeGreaterThan(1000);
      expect(add.mock.calls.length).toBeGreaterThanOrEqual(1); // the spy does see boundary computations
      expect(add.mock.calls.length).toBeLessThanOrEqual(6);
      expect(p.start.getTime()).toBe(periodBoundary(anchor, interval, p.index, tz).getTime());
    });
  });

  it("skips the empty period of a deleted calendar day (Pacific/Apia, 2011-12-30)", () => {
    const apia = "Pacific/Apia";
    const daily: Interval = { unit: "day", count: 1 };
    const start = local("2011-12-28T10:00:00", apia);
    // Boundary 2 (Dec 30 10:00) does not exist and resolves to the same instant as boundary 3 (Dec 31 10:00).
    expect(periodBoundary(start, daily, 2, apia).getTime()).toBe(periodBoundary(start, daily, 3, apia).getTime());
    const asOf = local("2011-12-31T10:00:00", apia);
    const p = periodAt(start, daily, asOf, apia);
    expect(p.index).toBe(3);
    expect(p.start.getTime()).toBe(asOf.getTime());
    expect(p.end.getTime()).toBeGreaterThan(asOf.getTime());
  });
});
