import { describe, expect, it } from "vitest";
import { MAX_RANGE_DAYS, parseReportRange } from "./date-range";

const now = new Date("2027-03-15T10:00:00Z");

describe("parseReportRange", () => {
  it("covers both days, as [from 00:00 UTC, the day after to)", () => {
    expect(parseReportRange("2027-01-01", "2027-01-31", now)).toEqual({
      from: "2027-01-01",
      to: "2027-01-31",
      start: new Date("2027-01-01T00:00:00Z"),
      end: new Date("2027-02-01T00:00:00Z"),
    });
  });

  it("defaults to this UTC month to date", () => {
    expect(parseReportRange(null, "", now)).toMatchObject({ from: "2027-03-01", to: "2027-03-15", end: new Date("2027-03-16T00:00:00Z") });
  });

  it.each([
    ["2027-02-30", "2027-03-01", "from must be a date as YYYY-MM-DD."],
    ["2027-01-01", "01/02/2027", "to must be a date as YYYY-MM-DD."],
    ["2027-02-01", "2027-01-31", "to must be on or after from."],
    ["2020-01-01", "2027-01-01", `A range covers at most ${MAX_RANGE_DAYS} days.`],
  ])("refuses %s … %s", (from, to, error) => {
    expect(parseReportRange(from, to, now)).toEqual({ error });
  });
});
