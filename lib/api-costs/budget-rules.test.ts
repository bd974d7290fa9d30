import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { minuteKey, newlyCrossed, percentSpent, quotaWindow, thresholdsProblem, utcMonth } from "./budget-rules";

describe("thresholdsProblem", () => {
  it("accepts ascending unique whole percentages from 1 to 1000", () => {
    expect(thresholdsProblem([50, 80, 100])).toBeNull();
    expect(thresholdsProblem([1])).toBeNull();
    expect(thresholdsProblem([100, 150, 1000])).toBeNull();
  });
  it("refuses empty, out of range, fractions, duplicates and disorder", () => {
    expect(thresholdsProblem([])).toMatch(/at least one/);
    expect(thresholdsProblem([0, 50])).toMatch(/1 to 1000/);
    expect(thresholdsProblem([50, 1001])).toMatch(/1 to 1000/);
    expect(thresholdsProblem([50.5])).toMatch(/whole/);
    expect(thresholdsProblem([50, 50])).toMatch(/twice/);
    expect(thresholdsProblem([80, 50])).toMatch(/ascending/);
  });
});

describe("newlyCrossed", () => {
  const t = [50, 80, 100];
  it("fires every threshold reached and not yet fired, ascending", () => {
    expect(newlyCrossed({ spent: 4999n, budget: 10000n, thresholds: t, fired: [] })).toEqual([]);
    expect(newlyCrossed({ spent: 5000n, budget: 10000n, thresholds: t, fired: [] })).toEqual([50]);
    expect(newlyCrossed({ spent: 10000n, budget: 10000n, thresholds: t, fired: [50] })).toEqual([80, 100]);
    expect(newlyCrossed({ spent: 25000n, budget: 10000n, thresholds: [100, 200, 300], fired: [100] })).toEqual([200]);
  });
  it("fires nothing without spend or with no budget", () => {
    expect(newlyCrossed({ spent: 0n, budget: 10000n, thresholds: [1], fired: [] })).toEqual([]);
    expect(newlyCrossed({ spent: 10n, budget: 0n, thresholds: [1], fired: [] })).toEqual([]);
  });
  it("is exact at the boundary (1 of 3 minor units is 33.3…%)", () => {
    expect(newlyCrossed({ spent: 1n, budget: 3n, thresholds: [33, 34], fired: [] })).toEqual([33]);
  });

  const thresholdsArb = fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 8 }).map((a) => [...a].sort((x, y) => x - y));
  it("over a month's rising spend, each threshold fires at most once, ascending, and only once reached (property)", () => {
    fc.assert(
      fc.property(thresholdsArb, fc.integer({ min: 1, max: 10_000_000 }), fc.array(fc.integer({ min: 0, max: 5_000_000 }), { maxLength: 30 }), (thresholds, budget, increments) => {
        const fired: number[] = [];
        let spent = 0;
        for (const inc of increments) {
          spent += inc;
          const now = newlyCrossed({ spent: BigInt(spent), budget: BigInt(budget), thresholds, fired });
          // Ascending within a check, and above everything fired before (spend only rises).
          expect([...now].sort((a, b) => a - b)).toEqual(now);
          for (const x of now) {
            expect(fired).not.toContain(x);
            expect(spent * 100).toBeGreaterThanOrEqual(budget * x);
            if (fired.length > 0) expect(x).toBeGreaterThan(Math.max(...fired));
          }
          fired.push(...now);
          // Nothing reached is left unfired; nothing below is fired.
          for (const x of thresholds) expect(fired.includes(x)).toBe(spent > 0 && spent * 100 >= budget * x);
        }
        expect(new Set(fired).size).toBe(fired.length);
      }),
    );
  });
  it("two checks from the same state agree, and a second check after the first fires nothing (property)", () => {
    fc.assert(
      fc.property(thresholdsArb, fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 10n ** 13n }), (thresholds, budget, spent) => {
        const first = newlyCrossed({ spent, budget, thresholds, fired: [] });
        expect(newlyCrossed({ spent, budget, thresholds, fired: [] })).toEqual(first);
        expect(newlyCrossed({ spent, budget, thresholds, fired: first })).toEqual([]);
      }),
    );
  });
});

describe("windows", () => {
  it("are UTC months and days", () => {
    expect(utcMonth(new Date("2026-12-31T23:59:59.999Z"))).toEqual({ start: new Date("2026-12-01T00:00:00Z"), end: new Date("2027-01-01T00:00:00Z") });
    expect(quotaWindow("day", new Date("2026-02-28T13:00:00Z"))).toEqual({ start: new Date("2026-02-28T00:00:00Z"), end: new Date("2026-03-01T00:00:00Z") });
    expect(quotaWindow("month", new Date("2026-02-28T13:00:00Z")).start).toEqual(new Date("2026-02-01T00:00:00Z"));
    expect(minuteKey(new Date("2026-12-05T19:45:31.123Z"))).toBe("2026-12-05T19:45");
  });
  it("percentSpent rounds down and never divides by zero", () => {
    expect(percentSpent(7999, 10000)).toBe(79);
    expect(percentSpent(5, 0)).toBe(0);
    expect(percentSpent(30000, 10000)).toBe(300);
  });
});
