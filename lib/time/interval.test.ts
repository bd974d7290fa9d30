import { describe, expect, it } from "vitest";
import { isValidInterval, MAX_INTERVAL_COUNT, parseInterval, TimeError } from "@/lib/time";

function timeError(fn: () => unknown): TimeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TimeError);
    return error as TimeError;
  }
  throw new Error("expected a TimeError");
}

describe("parseInterval", () => {
  it.each([
    [{ unit: "month", count: 1 }, { unit: "month", count: 1 }],
    [{ unit: "month" }, { unit: "month", count: 1 }],
    [{ unit: "day", count: 1095 }, { unit: "day", count: 1095 }],
    [{ unit: "week", count: 156 }, { unit: "week", count: 156 }],
    [{ unit: "month", count: 36 }, { unit: "month", count: 36 }],
    [{ unit: "year", count: 3 }, { unit: "year", count: 3 }],
    [{ unit: "month", count: 3, extra: true }, { unit: "month", count: 3 }],
    ["month", { unit: "month", count: 1 }],
    ["3 months", { unit: "month", count: 3 }],
    ["2 week", { unit: "week", count: 2 }],
    ["1 year", { unit: "year", count: 1 }],
    ["days", { unit: "day", count: 1 }],
  ])("%j → %j", (input, expected) => {
    expect(parseInterval(input)).toEqual(expected);
  });

  it.each([
    [{ unit: "month", count: 0 }, "interval.count"],
    [{ unit: "month", count: -1 }, "interval.count"],
    [{ unit: "month", count: 1.5 }, "interval.count"],
    [{ unit: "month", count: "1" }, "interval.count"],
    [{ unit: "month", count: 37 }, "interval.count"],
    [{ unit: "day", count: 1096 }, "interval.count"],
    [{ unit: "week", count: 157 }, "interval.count"],
    [{ unit: "year", count: 4 }, "interval.count"],
    [{ unit: "quarter", count: 1 }, "interval.unit"],
    [{ unit: "Month", count: 1 }, "interval.unit"],
    [{ count: 1 }, "interval.unit"],
    ["fortnight", "interval"],
    ["0 months", "interval.count"],
    ["3  months", "interval"],
    ["-1 month", "interval"],
    [null, "interval"],
    [12, "interval"],
  ])("rejects %j naming %s", (input, param) => {
    const error = timeError(() => parseInterval(input));
    expect(error.code).toBe("interval_invalid");
    expect(error.param).toBe(param);
  });

  it("says what the limit is", () => {
    expect(timeError(() => parseInterval({ unit: "month", count: 37 })).message).toContain("from 1 to 36");
  });

  it("uses the caller's field name", () => {
    expect(timeError(() => parseInterval({ unit: "month", count: 0 }, "price.recurring")).param).toBe("price.recurring.count");
  });
});

describe("isValidInterval", () => {
  it("agrees with the limits table", () => {
    for (const [unit, max] of Object.entries(MAX_INTERVAL_COUNT)) {
      expect(isValidInterval({ unit, count: 1 })).toBe(true);
      expect(isValidInterval({ unit, count: max })).toBe(true);
      expect(isValidInterval({ unit, count: max + 1 })).toBe(false);
      expect(isValidInterval({ unit, count: 0 })).toBe(false);
    }
    expect(isValidInterval({ unit: "month" })).toBe(false); // the type requires count
    expect(isValidInterval(null)).toBe(false);
  });
});
