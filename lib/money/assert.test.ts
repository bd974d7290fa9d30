import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertMinorUnits, isSafeMinor, MoneyError, sumMinor } from "@/lib/money";

function moneyError(fn: () => unknown): MoneyError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MoneyError);
    return error as MoneyError;
  }
  throw new Error("expected a MoneyError");
}

const MAX = Number.MAX_SAFE_INTEGER;

describe("isSafeMinor", () => {
  it.each([0, 1, -1, 1099, MAX, -MAX])("accepts %p", (n) => {
    expect(isSafeMinor(n)).toBe(true);
  });
  it.each([
    10.999, 0.5, 0.30000000000000004, MAX + 1, -MAX - 1, 2 ** 60, NaN, Infinity, -Infinity,
    "1099", "1e3", null, undefined, 1099n, true, {}, [1099],
  ])("rejects %p", (n) => {
    expect(isSafeMinor(n)).toBe(false);
  });
});

describe("assertMinorUnits", () => {
  it.each([
    [0, "usd"],
    [1099, "aud"],
    [-5, "aud"],
    [80, "jpy"],
    [1234, "kwd"],
    [MAX, "usd"],
  ])("accepts %p %s and returns it", (n, currency) => {
    expect(assertMinorUnits(n, currency)).toBe(n);
  });

  it.each([10.999, "1e3", null, 0.30000000000000004, undefined, NaN, Infinity, "1099", 1099n, MAX + 1, 2 ** 53])(
    "rejects %p in usd with amount_invalid and the minor-units hint",
    (n) => {
      const error = moneyError(() => assertMinorUnits(n, "usd"));
      expect(error.code).toBe("amount_invalid");
      expect(error.param).toBe("amount");
      expect(error.message).toBe("amount must be an integer number of minor units, e.g. 1099 = US$10.99");
    },
  );

  it("explains JPY has no minor unit for 80.5", () => {
    const error = moneyError(() => assertMinorUnits(80.5, "jpy"));
    expect(error.code).toBe("amount_invalid");
    expect(error.message).toBe("JPY has no minor unit: amount must be a whole number of yen, e.g. 80");
  });

  it.each([
    ["aud", "$10.99"],
    ["kwd", "KWD 1.099"],
    ["eur", "€10.99"],
  ])("gives a currency-specific example for %s", (currency, example) => {
    expect(moneyError(() => assertMinorUnits(1.5, currency)).message).toBe(
      `amount must be an integer number of minor units, e.g. 1099 = ${example}`,
    );
  });

  it("names the offending field", () => {
    const error = moneyError(() => assertMinorUnits(1.5, "usd", "lines[2].unit_amount"));
    expect(error.param).toBe("lines[2].unit_amount");
    expect(error.message.startsWith("lines[2].unit_amount must be")).toBe(true);
  });

  it("reports an unknown currency before looking at the amount", () => {
    expect(moneyError(() => assertMinorUnits(1.5, "xyz")).code).toBe("currency_unsupported");
  });

  it("accepts exactly the safe integers (property)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.double(), fc.string(), fc.constant(null)), (n) => {
        let ok = true;
        try {
          assertMinorUnits(n, "aud");
        } catch {
          ok = false;
        }
        expect(ok).toBe(typeof n === "number" && Number.isSafeInteger(n));
      }),
    );
  });
});

describe("sumMinor", () => {
  it.each([
    [[], 0],
    [[1, 2, 3], 6],
    [[1099, -1099], 0],
    [[MAX, -1], MAX - 1],
    // In floating point MAX + 2 rounds to 2^53, so a float running sum gives 1; the exact sum is 2.
    [[MAX, 2, -MAX], 2],
  ])("%j → %p", (values, expected) => {
    expect(sumMinor(values)).toBe(expected);
  });

  it("throws out_of_range past the safe range", () => {
    expect(moneyError(() => sumMinor([MAX, 1])).code).toBe("out_of_range");
    expect(moneyError(() => sumMinor([-MAX, -2])).code).toBe("out_of_range");
  });

  it("rejects a non-integer entry naming its index", () => {
    const error = moneyError(() => sumMinor([1, 2.5, 3]));
    expect(error.code).toBe("amount_invalid");
    expect(error.param).toBe("values[1]");
  });

  it("equals the BigInt sum whenever that is safe (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.maxSafeInteger(), { maxLength: 8 }), (values) => {
        const exact = values.reduce((a, v) => a + BigInt(v), 0n);
        if (exact > BigInt(MAX) || exact < BigInt(-MAX)) {
          expect(() => sumMinor(values)).toThrow(MoneyError);
        } else {
          expect(sumMinor(values)).toBe(Number(exact));
        }
      }),
    );
  });
});
