import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { daysOf, monthOf, parseMonth, previousMonth, recentMonths } from "./months";

const NOW = new Date("2026-12-05T09:30:00Z");

describe("cost months (UTC)", () => {
  it.each([
    ["2026-12-31T23:59:59.999Z", "2026-12", "2026-12-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"],
    ["2027-01-01T00:00:00Z", "2027-01", "2027-01-01T00:00:00.000Z", "2027-02-01T00:00:00.000Z"],
    ["2028-02-29T12:00:00Z", "2028-02", "2028-02-01T00:00:00.000Z", "2028-03-01T00:00:00.000Z"],
  ])("%s falls in %s", (at, key, from, to) => {
    const m = monthOf(new Date(at));
    expect({ key: m.key, from: m.from.toISOString(), to: m.to.toISOString() }).toEqual({ key, from, to });
  });

  it("goes back across a year", () => {
    expect(previousMonth(monthOf(new Date("2027-01-15T00:00:00Z"))).key).toBe("2026-12");
    expect(recentMonths(NOW, 13).map((m) => m.key)).toEqual([
      "2026-12", "2026-11", "2026-10", "2026-09", "2026-08", "2026-07", "2026-06", "2026-05", "2026-04", "2026-03", "2026-02", "2026-01", "2025-12",
    ]);
  });

  it.each([
    ["2026-11", "2026-11"],
    ["2026-12", "2026-12"],
    ["2027-01", null],
    ["2026-13", null],
    ["2026-1", null],
    ["", null],
    [undefined, null],
    ["2026-11-01", null],
  ])("parses %j as %j (no month after now's)", (value, key) => {
    expect(parseMonth(value, NOW)?.key ?? null).toBe(key);
  });

  it("lists a month's days up to today, all of a past month's", () => {
    expect(daysOf(monthOf(NOW), NOW)).toEqual(["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05"]);
    expect(daysOf(monthOf(new Date("2026-02-10T00:00:00Z")), NOW)).toHaveLength(28);
  });

  it("months tile time: each month ends where the next begins, and contains its instant", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }), (at) => {
        const m = monthOf(at);
        expect(m.from <= at && at < m.to).toBe(true);
        expect(previousMonth(m).to.getTime()).toBe(m.from.getTime());
        expect(monthOf(m.to).from.getTime()).toBe(m.to.getTime());
        expect(parseMonth(m.key, m.from)?.from.getTime()).toBe(m.from.getTime());
      }),
    );
  });
});
