import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { divRoundHalfAwayFromZero, MoneyError, mulDiv } from "@/lib/money";

const MAX = Number.MAX_SAFE_INTEGER;

/** Independent oracle: sign × floor((2|n| + |d|) / 2|d|), i.e. |n/d| + ½ floored, then signed. */
function oracle(n: bigint, d: bigint): bigint {
  const abs = (x: bigint) => (x < 0n ? -x : x);
  const magnitude = (2n * abs(n) + abs(d)) / (2n * abs(d));
  return (n < 0n) !== (d < 0n) ? -magnitude : magnitude;
}

describe("divRoundHalfAwayFromZero", () => {
  it.each([
    [5n, 2n, 3n], // 2.5
    [-5n, 2n, -3n],
    [5n, -2n, -3n],
    [-5n, -2n, 3n],
    [3n, 2n, 2n], // 1.5
    [-3n, 2n, -2n],
    [1n, 2n, 1n], // 0.5
    [-1n, 2n, -1n],
    [7n, 2n, 4n], // 3.5
    [4n, 3n, 1n], // 1.33
    [-4n, 3n, -1n],
    [5n, 3n, 2n], // 1.67
    [-5n, 3n, -2n],
    [1n, 3n, 0n],
    [-1n, 3n, 0n],
    [2n, 3n, 1n],
    [0n, 5n, 0n],
    [0n, -5n, 0n],
    [10n, 5n, 2n],
    [1499n, 1000n, 1n],
    [1500n, 1000n, 2n],
    [-1500n, 1000n, -2n],
    [-1501n, 1000n, -2n],
    [2n ** 80n + 1n, 2n, 2n ** 79n + 1n],
  ])("%p / %p → %p", (n, d, expected) => {
    expect(divRoundHalfAwayFromZero(n, d)).toBe(expected);
  });

  it("0 divided by a negative is plain 0n", () => {
    expect(divRoundHalfAwayFromZero(0n, -3n) === 0n).toBe(true);
  });

  it("throws on a zero denominator", () => {
    expect(() => divRoundHalfAwayFromZero(1n, 0n)).toThrow(MoneyError);
  });

  const nonZero = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).filter((d) => d !== 0n);
  const any = fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n });

  it("matches the oracle (property)", () => {
    fc.assert(
      fc.property(any, nonZero, (n, d) => {
        expect(divRoundHalfAwayFromZero(n, d)).toBe(oracle(n, d));
      }),
    );
    // Small denominators hit exact halves often.
    fc.assert(
      fc.property(fc.bigInt({ min: -1000n, max: 1000n }), fc.constantFrom(-4n, -2n, 2n, 4n, 10n, 100n), (n, d) => {
        expect(divRoundHalfAwayFromZero(n, d)).toBe(oracle(n, d));
      }),
    );
  });

  it("is symmetric: f(-n, d) = f(n, -d) = -f(n, d) (property)", () => {
    fc.assert(
      fc.property(any, nonZero, (n, d) => {
        const r = divRoundHalfAwayFromZero(n, d);
        expect(divRoundHalfAwayFromZero(-n, d)).toBe(-r);
        expect(divRoundHalfAwayFromZero(n, -d)).toBe(-r);
      }),
    );
  });

  it("is the nearest integer, ties away from zero (property)", () => {
    fc.assert(
      fc.property(any, nonZero, (n, d) => {
        const q = divRoundHalfAwayFromZero(n, d);
        const abs = (x: bigint) => (x < 0n ? -x : x);
        const error2 = 2n * abs(n - q * d); // 2 |n/d − q| |d|
        expect(error2 <= abs(d)).toBe(true);
        if (error2 === abs(d)) expect(abs(q * d) > abs(n)).toBe(true);
      }),
    );
  });
});

describe("mulDiv", () => {
  it.each([
    [1000, 1, 11, 91],
    [1100, 1, 11, 100],
    [1005, 1, 10, 101],
    [-1005, 1, 10, -101],
    [1004, 1, 10, 100],
    [1099, 3, 7, 471], // 470.99
    [100, 1, 3, 33],
    [200, 1, 3, 67],
    [-200, 1, 3, -67],
    [1, 1, 2, 1],
    [-1, 1, 2, -1],
    [0, 5, 7, 0],
    [1000, -1, 4, -250],
    [1000, 1, -3, -333],
    [1000, 10n, 11n, 909],
    // Intermediates beyond 2^53: MAX × 3 is not representable as a float, the result is exact.
    [MAX, 3, 3, MAX],
    [MAX, 2n ** 64n, 2n ** 64n, MAX],
    [MAX, 1_000_003, 1_000_007, 9007163226196172], // 9007163226196171.85: floor + remainder above half
  ])("%p × %p / %p → %p", (amount, num, den, expected) => {
    expect(mulDiv(amount, num, den)).toBe(expected);
  });

  it("rejects a result past the safe range", () => {
    expect(() => mulDiv(MAX, 2, 1)).toThrowError(expect.objectContaining({ code: "out_of_range" }));
  });

  it.each([
    [1.5, 1, 1, "amount_invalid"],
    [NaN, 1, 1, "amount_invalid"],
    [100, 1.5, 1, "out_of_range"],
    [100, 1, 0, "out_of_range"],
    [100, 1, 0n, "out_of_range"],
    [100, 2 ** 60, 1, "out_of_range"],
  ])("rejects %p × %p / %p with %s", (amount, num, den, code) => {
    expect(() => mulDiv(amount, num, den)).toThrowError(expect.objectContaining({ code }));
  });

  it("is symmetric and agrees with BigInt rounding (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (amount, num, den) => {
          const exact = oracle(BigInt(amount) * BigInt(num), BigInt(den));
          if (exact > BigInt(MAX) || exact < BigInt(-MAX)) return;
          const r = mulDiv(amount, num, den);
          expect(r).toBe(Number(exact));
          expect(mulDiv(-amount, num, den)).toBe(0 - r);
        },
      ),
    );
  });
});
