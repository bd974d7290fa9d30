import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocate, allocateEvenly, MoneyError } from "@/lib/money";

const MAX = Number.MAX_SAFE_INTEGER;

function moneyError(fn: () => unknown): MoneyError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MoneyError);
    return error as MoneyError;
  }
  throw new Error("expected a MoneyError");
}

describe("allocate", () => {
  it.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [-100, [1, 1, 1], [-34, -33, -33]],
    [2, [1, 1, 1], [1, 1, 0]], // ties go to the lower index
    [1, [1, 1], [1, 0]],
    [-1, [1, 1], [-1, 0]],
    [5, [1, 0, 1], [3, 0, 2]],
    [0, [1, 2], [0, 0]],
    [10, [3, 7], [3, 7]],
    [1000, [1, 2, 3], [167, 333, 500]], // remainders 4, 2, 0 (of 6): the unit goes to index 0
    [1000, [3, 2, 1], [500, 333, 167]],
    [7, [0, 0, 5], [0, 0, 7]],
    [1099, [1], [1099]],
    [100, [1, 1, 1, 1, 1, 1], [17, 17, 17, 17, 16, 16]],
    [10, [1, 1, 1, 1, 100], [0, 0, 0, 0, 10]], // exact shares 0.096… round down, 9.6 takes the leftover
    // total × weight ≫ 2^53: must be computed in BigInt.
    [MAX, [MAX, MAX], [4503599627370496, 4503599627370495]],
    [MAX, [1, MAX - 1], [1, MAX - 1]],
  ])("%p by %j → %j", (total, weights, expected) => {
    expect(allocate(total, weights)).toEqual(expected);
  });

  it("never returns -0 for a zero part of a negative total", () => {
    const parts = allocate(-1, [1, 1]);
    expect(Object.is(parts[1], 0)).toBe(true);
  });

  it.each([
    [[], "weights"],
    [[0, 0], "weights"],
    [[-1, 2], "weights[0]"],
    [[1, 1.5], "weights[1]"],
    [[1, NaN], "weights[1]"],
    [[1, Infinity], "weights[1]"],
    [[2 ** 60], "weights[0]"],
  ])("rejects weights %j as out_of_range on %s", (weights, param) => {
    const error = moneyError(() => allocate(100, weights));
    expect(error.code).toBe("out_of_range");
    expect(error.param).toBe(param);
  });

  it.each([1.5, NaN, MAX + 1])("rejects total %p", (total) => {
    expect(moneyError(() => allocate(total, [1])).code).toBe("amount_invalid");
  });

  const totals = fc.oneof(fc.integer({ min: -100_000, max: 100_000 }), fc.maxSafeInteger());
  const weightLists = fc
    .array(fc.oneof(fc.nat({ max: 10 }), fc.nat({ max: 1_000_000 }), fc.maxSafeNat()), { minLength: 1, maxLength: 12 })
    .filter((ws) => ws.some((w) => w > 0));

  it("parts sum exactly to the total and each is within one unit of its exact share (R12)", () => {
    fc.assert(
      fc.property(totals, weightLists, (total, weights) => {
        const parts = allocate(total, weights);
        expect(parts).toHaveLength(weights.length);
        expect(parts.reduce((a, p) => a + BigInt(p), 0n)).toBe(BigInt(total));
        const W = weights.reduce((a, w) => a + BigInt(w), 0n);
        parts.forEach((part, i) => {
          expect(Number.isSafeInteger(part)).toBe(true);
          // |part − total·w/W| < 1  ⇔  |part·W − total·w| < W
          const diff = BigInt(part) * W - BigInt(total) * BigInt(weights[i]!);
          expect((diff < 0n ? -diff : diff) < W).toBe(true);
          if (weights[i] === 0) expect(part).toBe(0);
        });
      }),
      { numRuns: 500 },
    );
  });

  it("gives the leftover units to the largest remainders, ties to the lower index", () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), weightLists, (total, weights) => {
        const parts = allocate(total, weights);
        const W = weights.reduce((a, w) => a + BigInt(w), 0n);
        const info = weights.map((w, i) => {
          const product = BigInt(total) * BigInt(w);
          return { i, remainder: product % W, extra: BigInt(parts[i]!) - product / W };
        });
        for (const a of info) {
          expect(a.extra === 0n || a.extra === 1n).toBe(true);
          for (const b of info) {
            if (a.extra === 1n && b.extra === 0n) {
              expect(a.remainder > b.remainder || (a.remainder === b.remainder && a.i < b.i)).toBe(true);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("equal weights give parts that differ by at most one (R12)", () => {
    fc.assert(
      fc.property(totals, fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 1000 }), (total, n, w) => {
        const parts = allocate(total, new Array<number>(n).fill(w));
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("mirrors negative totals: allocate(−t) = −allocate(t)", () => {
    fc.assert(
      fc.property(totals, weightLists, (total, weights) => {
        expect(allocate(-total, weights)).toEqual(allocate(total, weights).map((p) => 0 - p));
      }),
    );
  });
});

describe("allocateEvenly", () => {
  it.each([
    [10, 3, [4, 3, 3]],
    [-10, 3, [-4, -3, -3]],
    [9, 3, [3, 3, 3]],
    [1, 4, [1, 0, 0, 0]],
    [0, 2, [0, 0]],
    [1099, 1, [1099]],
  ])("%p into %p → %j", (total, n, expected) => {
    expect(allocateEvenly(total, n)).toEqual(expected);
  });

  it.each([0, -1, 1.5, NaN, 10_000_000])("rejects n = %p", (n) => {
    const error = moneyError(() => allocateEvenly(100, n));
    expect(error.code).toBe("out_of_range");
    expect(error.param).toBe("n");
  });
});
