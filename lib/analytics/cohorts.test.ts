import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cohortFiguresOf, cohortGrid, monthIndex, monthOfIndex, type MovementPoint } from "./cohorts";

/** Single-currency figures need no conversion: the sum of the minor units. */
const plain = (perCurrency: [string, string][]) => perCurrency.reduce((s, [, m]) => s + Number(m), 0);
const gridOf = (movements: MovementPoint[], from: string, to: string) => cohortGrid(cohortFiguresOf(movements, { from, to, lastMonth: to }), to, plain);

describe("months", () => {
  it("index and back", () => {
    expect(monthIndex("2027-01") - monthIndex("2026-12")).toBe(1);
    expect(monthOfIndex(monthIndex("2027-12") + 1)).toBe("2028-01");
  });
});

describe("cohortGrid: a small history by hand", () => {
  /**
   * A starts Jan 1000, expands Mar to 1500; B starts Jan 2000, churns 10 Feb, reactivates 5 Apr at 500;
   * C starts Feb 700 and 300 in usd (two currencies, one customer); D starts and churns in Feb.
   */
  const m = (customerId: string, day: string, mrr: number, currency = "aud"): MovementPoint => ({ customerId, currency, day, mrr });
  const history = [m("A", "2027-01-05", 1000), m("A", "2027-03-02", 1500), m("B", "2027-01-20", 2000), m("B", "2027-02-10", 0), m("B", "2027-04-05", 500), m("C", "2027-02-01", 700), m("C", "2027-02-03", 300, "usd"), m("D", "2027-02-02", 400), m("D", "2027-02-20", 0)];

  it("rows by start month, cells to `to`, month 0 is 100 %", () => {
    const grid = gridOf(history, "2027-01", "2027-04");
    expect(grid.map((r) => [r.cohort, r.customers, r.starting_mrr])).toEqual([
      ["2027-01", 2, 3000],
      ["2027-02", 2, 1000], // C 700 + 300 (usd, summed as is here); D churned within the month
    ]);
    const jan = grid[0]!.cells.map((c) => [c.months_since_start, c.mrr, c.revenue_retention, c.customers, c.customer_retention]);
    expect(jan).toEqual([
      [0, 3000, "1", 2, "1"],
      [1, 1000, "0.3333", 1, "0.5"],
      [2, 1500, "0.5", 1, "0.5"],
      [3, 2000, "0.6667", 2, "1"],
    ]);
    expect(grid[1]!.cells.map((c) => [c.mrr, c.customers])).toEqual([
      [1000, 1],
      [1000, 1],
      [1000, 1],
    ]);
  });

  it("cohorts outside [from, to] are left out; a customer never above zero is in none", () => {
    expect(gridOf([...history, m("E", "2027-01-09", 0)], "2027-02", "2027-02").map((r) => r.cohort)).toEqual(["2027-02"]);
  });
});

const day = fc.integer({ min: 0, max: 400 }).map((d) => new Date(Date.UTC(2027, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
const history = fc.array(fc.record({ customerId: fc.constantFrom("a", "b", "c", "d", "e", "f"), currency: fc.constantFrom("aud", "usd"), day, mrr: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100_000 })) }), { maxLength: 40 });

describe("properties of the grid", () => {
  it("month 0 is 100 % whenever starting MRR is above zero; retained customers never exceed the cohort's size", () => {
    fc.assert(
      fc.property(history, (raw) => {
        // One row per customer, currency and day, as mrr_movements.
        const rows = [...new Map(raw.map((r) => [`${r.customerId}|${r.currency}|${r.day}`, r])).values()];
        for (const row of gridOf(rows, "2027-01", "2028-02")) {
          expect(row.cells[0]!.months_since_start).toBe(0);
          if (row.starting_mrr > 0) expect(row.cells[0]!.revenue_retention).toBe("1");
          else expect(row.cells[0]!.revenue_retention).toBeNull();
          expect(row.customers).toBeGreaterThan(0);
          for (const cell of row.cells) {
            expect(cell.customers).toBeLessThanOrEqual(row.customers);
            expect(cell.customers).toBeGreaterThanOrEqual(0);
            expect(cell.mrr).toBeGreaterThanOrEqual(0);
          }
          expect(row.cells).toHaveLength(monthIndex("2028-02") - monthIndex(row.cohort) + 1);
        }
      }),
    );
  });

  it("every customer above zero at some point is in exactly one cohort", () => {
    fc.assert(
      fc.property(history, (raw) => {
        const rows = [...new Map(raw.map((r) => [`${r.customerId}|${r.currency}|${r.day}`, r])).values()];
        const grid = gridOf(rows, "2026-01", "2028-12");
        expect(grid.reduce((n, r) => n + r.customers, 0)).toBe(new Set(rows.filter((r) => r.mrr > 0).map((r) => r.customerId)).size);
      }),
    );
  });
});
