import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, calendarDaysBetween, daysLeft } from "@/lib/time";
import { addDays as oracleAddDays, wall } from "./test-oracle";

/** Calendar days against the Intl-based oracle (no Temporal): dates move by whole days, the wall-clock time stays. */
const ZONES = [
  "UTC",
  "America/Los_Angeles",
  "Australia/Sydney",
  "Europe/London",
  "Pacific/Chatham",
  "America/Santiago",
] as const;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const instant = fc
  .integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2025, 11, 31) })
  .map((ms) => new Date(ms - (ms % 60_000)));
const zone = fc.constantFrom(...ZONES);
const days = fc.integer({ min: -400, max: 400 });

describe("lib/time calendar days", () => {
  it("addDays lands `days` dates later at the same wall-clock time (an hour later when that time does not exist that day)", () => {
    fc.assert(
      fc.property(instant, zone, days, (at, tz, d) => {
        const from = wall(at.getTime(), tz);
        const to = wall(addDays(at, d, tz).getTime(), tz);
        expect({ year: to.year, month: to.month, day: to.day }).toEqual(
          oracleAddDays(
            { year: from.year, month: from.month, day: from.day },
            d,
          ),
        );
        const minutes = (w: typeof from) => w.hour * 60 + w.minute;
        // Equal, or moved forward past a daylight-saving gap.
        expect([0, 30, 60]).toContain(minutes(to) - minutes(from));
      }),
      { numRuns: 400 },
    );
  });

  it("in UTC a day is 86,400 s; across a daylight-saving change it is 23 or 25 hours", () => {
    fc.assert(
      fc.property(instant, days, (at, d) => {
        expect(addDays(at, d, "UTC").getTime() - at.getTime()).toBe(d * DAY);
      }),
    );
    // Sydney's clocks go forward on 6 Oct 2024 (02:00 → 03:00) and back on 7 Apr 2024 (03:00 → 02:00).
    const beforeSpring = new Date("2024-10-05T00:00:00Z"); // 10:00 AEST
    expect(
      addDays(beforeSpring, 1, "Australia/Sydney").getTime() -
        beforeSpring.getTime(),
    ).toBe(23 * HOUR);
    const beforeAutumn = new Date("2024-04-06T00:00:00Z"); // 11:00 AEDT
    expect(
      addDays(beforeAutumn, 1, "Australia/Sydney").getTime() -
        beforeAutumn.getTime(),
    ).toBe(25 * HOUR);
  });

  it("calendarDaysBetween counts the dates crossed, and undoes addDays", () => {
    fc.assert(
      fc.property(instant, zone, days, (at, tz, d) => {
        expect(calendarDaysBetween(at, addDays(at, d, tz), tz)).toBe(d);
      }),
    );
    // 23:30 to 00:30 the next day is one calendar day, one hour apart.
    expect(
      calendarDaysBetween(
        new Date("2026-03-01T23:30:00Z"),
        new Date("2026-03-02T00:30:00Z"),
        "UTC",
      ),
    ).toBe(1);
    // The same two instants are on the same date in Sydney (10:30 and 11:30 on 2 March).
    expect(
      calendarDaysBetween(
        new Date("2026-03-01T23:30:00Z"),
        new Date("2026-03-02T00:30:00Z"),
        "Australia/Sydney",
      ),
    ).toBe(0);
  });

  it("daysLeft counts a part day as a day, and in UTC is the ceiling of the 24-hour days left", () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: -5 * DAY, max: 90 * DAY }),
        (now, ms) => {
          const end = new Date(now.getTime() + ms);
          expect(daysLeft(now, end, "UTC")).toBe(
            ms <= 0 ? 0 : Math.ceil(ms / DAY),
          );
        },
      ),
    );
    fc.assert(
      fc.property(
        instant,
        zone,
        fc.integer({ min: 1, max: 90 }),
        (now, tz, d) => {
          // Exactly d calendar days ahead: d left; a minute later: d + 1.
          const end = addDays(now, d, tz);
          expect(daysLeft(now, end, tz)).toBe(d);
          expect(daysLeft(now, new Date(end.getTime() + 60_000), tz)).toBe(
            d + 1,
          );
        },
      ),
    );
  });
});
