import { describe, expect, it } from "vitest";
import { fixedClock, systemClock, TimeError } from "@/lib/time";

describe("fixedClock", () => {
  it("always answers the instant it was given", () => {
    const clock = fixedClock(new Date("2024-02-29T12:00:00Z"));
    expect(clock.now().toISOString()).toBe("2024-02-29T12:00:00.000Z");
    expect(clock.now().toISOString()).toBe("2024-02-29T12:00:00.000Z");
  });

  it("cannot be moved by mutating the Date passed in or returned", () => {
    const at = new Date("2024-02-29T12:00:00Z");
    const clock = fixedClock(at);
    at.setUTCFullYear(2000);
    clock.now().setUTCFullYear(1999);
    expect(clock.now().toISOString()).toBe("2024-02-29T12:00:00.000Z");
  });

  it("rejects an invalid date", () => {
    expect(() => fixedClock(new Date("nope"))).toThrowError(TimeError);
  });
});

describe("systemClock", () => {
  it("returns valid, non-decreasing Dates", () => {
    const a = systemClock.now();
    const b = systemClock.now();
    expect(Number.isNaN(a.getTime())).toBe(false);
    expect(b.getTime()).toBeGreaterThanOrEqual(a.getTime());
  });
});
