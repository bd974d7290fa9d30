import { describe, expect, it } from "vitest";
import { eventTiming, eventValueProblem } from "./event-rules";

const sum = { aggregation: "sum" as const, valueProperty: "tokens", uniqueProperty: null };
const users = { aggregation: "unique_count" as const, valueProperty: null, uniqueProperty: "user" };
const count = { aggregation: "count" as const, valueProperty: null, uniqueProperty: null };

describe("eventValueProblem", () => {
  it.each([
    [sum, { tokens: 12 }, null],
    [sum, { tokens: 0 }, null],
    [sum, { tokens: 0.0015 }, null],
    [sum, { tokens: "12.50" }, null],
    [sum, {}, "usage_value_missing"],
    [sum, { other: 1 }, "usage_value_missing"],
    [sum, { tokens: "12,5" }, "usage_value_invalid"],
    [sum, { tokens: "1e3" }, "usage_value_invalid"],
    [sum, { tokens: "-1" }, "usage_value_invalid"],
    [sum, { tokens: -0.5 }, "usage_value_invalid"],
    [sum, { tokens: "" }, "usage_value_invalid"],
    [users, { user: "ann" }, null],
    [users, { user: 42 }, null],
    [users, { tokens: 1 }, "usage_value_missing"],
    [count, {}, null],
  ])("%o with %o → %s", (meter, properties, code) => {
    const problem = eventValueProblem(meter, properties);
    expect(problem?.code ?? null).toBe(code);
    if (problem) expect(problem.param).toBe(`properties.${meter.valueProperty ?? meter.uniqueProperty}`);
  });
});

describe("eventTiming", () => {
  const now = new Date("2027-02-10T00:00:00Z");
  const open = new Date("2027-02-01T00:00:00Z");
  const at = (iso: string, openPeriodStart: Date | null = open) => eventTiming({ timestamp: new Date(iso), now, lateWindowDays: 7, openPeriodStart });
  const refused = (t: ReturnType<typeof eventTiming>) => (typeof t === "object" ? t.refused.code : t);

  it.each([
    ["2027-02-10T00:05:00Z", "on_time"], // clock skew up to five minutes
    ["2027-02-10T00:05:00.001Z", "usage_event_in_future"],
    ["2027-02-01T00:00:00Z", "on_time"], // the open period, however long ago it started
    ["2027-01-31T23:59:59Z", "usage_event_too_old"], // invoiced, and more than 7 days ago
  ])("with an open period since 1 Feb: %s → %s", (iso, expected) => {
    expect(refused(at(iso))).toBe(expected);
  });

  it("an invoiced period inside the window is late, outside it too old", () => {
    const recent = new Date("2027-02-08T00:00:00Z");
    expect(eventTiming({ timestamp: new Date("2027-02-05T00:00:00Z"), now, lateWindowDays: 7, openPeriodStart: recent })).toBe("late");
    expect(eventTiming({ timestamp: new Date("2027-02-03T00:00:00Z"), now, lateWindowDays: 7, openPeriodStart: recent })).toBe("late");
    expect(refused(eventTiming({ timestamp: new Date("2027-02-02T23:59:59Z"), now, lateWindowDays: 7, openPeriodStart: recent }))).toBe("usage_event_too_old");
    expect(eventTiming({ timestamp: new Date("2027-02-02T23:59:59Z"), now, lateWindowDays: 8, openPeriodStart: recent })).toBe("late");
  });

  it("without a subscription only the window decides, and nothing is late", () => {
    expect(at("2027-02-03T00:00:00Z", null)).toBe("on_time");
    expect(refused(at("2027-02-02T23:59:59Z", null))).toBe("usage_event_too_old");
  });
});
