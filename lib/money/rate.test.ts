import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyRate, exclusiveTax, inclusiveTaxPortion, MoneyError, parseRate } from "@/lib/money";

function moneyError(fn: () => unknown): MoneyError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MoneyError);
    return error as MoneyError;
  }
  throw new Error("expected a MoneyError");
}

describe("parseRate", () => {
  it.each([
    ["0.1", 1n, 10n],
    ["0.0825", 825n, 10000n],
    ["0", 0n, 1n],
    ["1", 1n, 1n],
    ["1.0", 10n, 10n],
    ["0.15", 15n, 100n],
  ])("%s → %p / %p", (rate, numerator, denominator) => {
    expect(parseRate(rate)).toEqual({ numerator, denominator });
  });

  it.each(["", ".1", "1.", "-0.1", "+0.1", "1e-1", "0,1", " 0.1", "0.1 ", "10%", "abc", "0.1.2", "NaN", "0." + "1".repeat(30)])(
    "rejects malformed %j as amount_invalid on param rate",
    (rate) => {
      const error = moneyError(() => parseRate(rate));
      expect(error.code).toBe("amount_invalid");
      expect(error.param).toBe("rate");
    },
  );

  it.each(["10", "1.01", "2", "100"])("rejects %s (> 1) as out_of_range, suggesting the fraction form", (rate) => {
    const error = moneyError(() => parseRate(rate));
    expect(error.code).toBe("out_of_range");
    expect(error.message).toContain('"0.1"');
  });
});

describe("applyRate / exclusiveTax", () => {
  it.each([
    [1000, "0.1", 100],
    [1005, "0.1", 101], // 100.5 → away from zero
    [1004, "0.1", 100],
    [-1005, "0.1", -101],
    [1099, "0.0825", 91], // 90.6675
    [1000, "0.0825", 83], // 82.5
    [-1000, "0.0825", -83],
    [999, "0.15", 150], // 149.85
    [1, "0.5", 1],
    [-1, "0.5", -1],
    [1000, "0", 0],
    [1000, "1", 1000],
    [80, "0.1", 8], // jpy: the rate does not care about exponents
  ])("%p × %s → %p", (amount, rate, expected) => {
    expect(applyRate(amount, rate)).toBe(expected);
    expect(exclusiveTax(amount, rate)).toBe(expected);
  });

  it("is symmetric for any amount and rate (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 45), max: 2 ** 45 }), fc.nat({ max: 10000 }), (amount, bp) => {
        const rate = (bp / 10000).toFixed(4);
        expect(applyRate(-amount, rate)).toBe(0 - applyRate(amount, rate));
      }),
    );
  });
});

describe("inclusiveTaxPortion", () => {
  it.each([
    [1000, "0.1", 91], // A$10.00 incl. GST: 90.909…
    [1100, "0.1", 100],
    [1099, "0.1", 100], // 99.909…
    [-1000, "0.1", -91],
    [0, "0.1", 0],
    [1, "0.1", 0],
    [5, "0.1", 0], // 0.4545
    [6, "0.1", 1], // 0.5454
    [11, "0.1", 1],
    [1150, "0.15", 150], // NZ GST
    [1200, "0.2", 200], // UK VAT
    [1000, "0", 0],
    [1000, "1", 500],
  ])("%p incl. %s → %p", (gross, rate, expected) => {
    expect(inclusiveTaxPortion(gross, rate)).toBe(expected);
  });

  it("net + tax rebuilds the gross and re-adding tax to the net lands within a unit (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 45 }), fc.constantFrom("0.1", "0.15", "0.2", "0.0825", "0.05"), (gross, rate) => {
        const tax = inclusiveTaxPortion(gross, rate);
        const net = gross - tax;
        expect(Math.abs(net + applyRate(net, rate) - gross)).toBeLessThanOrEqual(1);
        expect(inclusiveTaxPortion(-gross, rate)).toBe(0 - tax);
      }),
    );
  });
});
