import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MoneyError, parseMajor, toMajorString } from "@/lib/money";
import { formatMoney } from "@/lib/format/money";

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
/** Intl puts a no-break space between a code and the number; tables are easier to read with a plain one. */
const plain = (s: string) => s.replace(/\u00a0/g, " ");

describe("parseMajor", () => {
  it.each([
    ["10.99", "aud", 1099],
    ["10.9", "aud", 1090],
    ["10", "aud", 1000],
    ["0.01", "usd", 1],
    ["-0.05", "aud", -5],
    ["-0", "aud", 0],
    ["007.50", "usd", 750],
    ["80", "jpy", 80],
    ["-80", "JPY", -80],
    ["1.234", "kwd", 1234],
    ["1.2", "kwd", 1200],
    ["0.001", "bhd", 1],
    ["90071992547409.91", "usd", MAX],
    ["-90071992547409.91", "usd", -MAX],
    ["9007199254740.991", "kwd", MAX],
    ["9007199254740991", "jpy", MAX],
    // The float route gives 1098.9999999999998 → 1098 when truncated; strings cannot.
    ["10.99", "usd", 1099],
    ["1.15", "usd", 115],
    ["4.35", "usd", 435],
  ])("%s %s → %p", (input, currency, expected) => {
    expect(Object.is(parseMajor(input, currency), expected)).toBe(true);
  });

  it.each([
    ["80.5", "jpy"],
    ["80.0", "jpy"],
    ["10.999", "aud"],
    ["10.990", "aud"],
    ["1.2345", "kwd"],
  ])("rejects %s %s: more decimals than the currency has", (input, currency) => {
    const error = moneyError(() => parseMajor(input, currency));
    expect(error.code).toBe("amount_invalid");
    expect(error.param).toBe("amount");
  });

  it("says JPY has no minor unit", () => {
    expect(moneyError(() => parseMajor("80.5", "jpy")).message).toContain("JPY has no minor unit");
  });

  it.each(["", " ", "1e3", "1E3", "+10", "--1", "- 1", "1-", "10.", ".5", "1,000", "1 000", "NaN", "Infinity", "0x10", " 10", "10 ", "١٠", "1.2.3", "$10"])(
    "rejects malformed %j",
    (input) => {
      expect(moneyError(() => parseMajor(input, "aud")).code).toBe("amount_invalid");
    },
  );

  it("rejects values past the safe range as out_of_range", () => {
    expect(moneyError(() => parseMajor("90071992547409.92", "usd")).code).toBe("out_of_range");
    expect(moneyError(() => parseMajor("1".repeat(41), "jpy")).code).toBe("out_of_range");
  });

  it("rejects an unknown currency", () => {
    expect(moneyError(() => parseMajor("10", "XYZ")).code).toBe("currency_unsupported");
  });
});

describe("toMajorString", () => {
  it.each([
    [1099, "aud", "10.99"],
    [1000, "aud", "10.00"],
    [5, "aud", "0.05"],
    [-5, "aud", "-0.05"],
    [0, "aud", "0.00"],
    [-0, "aud", "0.00"],
    [-1099, "usd", "-10.99"],
    [80, "jpy", "80"],
    [-80, "jpy", "-80"],
    [0, "jpy", "0"],
    [1234, "kwd", "1.234"],
    [1, "kwd", "0.001"],
    [-1, "bhd", "-0.001"],
    [MAX, "usd", "90071992547409.91"],
    [-MAX, "kwd", "-9007199254740.991"],
  ])("%p %s → %s", (minor, currency, expected) => {
    expect(toMajorString(minor, currency)).toBe(expected);
  });

  it.each([10.5, NaN, MAX + 1])("rejects %p", (minor) => {
    expect(moneyError(() => toMajorString(minor, "aud")).code).toBe("amount_invalid");
  });
});

describe("formatMoney", () => {
  it.each([
    [1000, "aud", undefined, "$10.00"],
    [1099, "AUD", "en-AU", "$10.99"],
    [-5, "aud", "en-AU", "\u2212$0.05"],
    [-484, "aud", undefined, "\u2212$4.84"],
    [24000, "usd", undefined, "US$240.00"],
    [24000, "usd", "en-AU", "US$240.00"],
    [500, "nzd", undefined, "NZ$5.00"],
    [500, "eur", undefined, "€5.00"],
    [500, "gbp", undefined, "£5.00"],
    [-500, "eur", "de-DE", "\u22125,00 €"],
    [123456789, "aud", "en-AU", "$1,234,567.89"],
    [80, "jpy", "en-AU", "JP¥80"],
    [80, "jpy", "en-US", "¥80"],
    [1234, "kwd", "en-AU", "KWD 1.234"],
    [1099, "usd", "en-US", "$10.99"],
    [1099, "aud", "en-US", "A$10.99"],
    [123450, "eur", "de-DE", "1.234,50 €"],
    // Float division would print …740.990 here (9007199254740991 / 1000 is not representable).
    [MAX, "kwd", "en-US", "KWD 9,007,199,254,740.991"],
    [-MAX, "usd", "en-US", "\u2212$90,071,992,547,409.91"],
  ])("%p %s %s → %s", (minor, currency, locale, expected) => {
    expect(plain(formatMoney(minor, currency, locale ?? "en-AU"))).toBe(expected);
  });

  it("shows exactly the currency's decimals even where ICU's default differs", () => {
    // ICU formats ISK/CLP without decimals too, but KWD/BHD must keep all three digits.
    expect(plain(formatMoney(1000, "bhd", "en-AU"))).toBe("BHD 1.000");
    expect(plain(formatMoney(1000, "isk", "en-AU"))).toBe("ISK 1,000");
  });

  it("a negative amount is its positive amount after a true minus sign, never a hyphen", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom("jpy", "aud", "kwd", "usd", "nzd", "eur", "gbp"), (minor, currency) => {
        const negative = formatMoney(-minor, currency, "en-AU");
        expect(negative).toBe(`\u2212${formatMoney(minor, currency, "en-AU")}`);
        expect(negative).not.toContain("-");
      }),
    );
  });

  it("digits always equal toMajorString, for any safe amount (no float path)", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.constantFrom("jpy", "aud", "kwd", "usd", "bhd"), (minor, currency) => {
        const digits = formatMoney(minor, currency, "en-AU").replace("\u2212", "-").replace(/[^0-9.-]/g, "");
        expect(digits).toBe(toMajorString(minor, currency));
      }),
    );
  });
});

describe("round trip (R13)", () => {
  const currencies = fc.constantFrom("jpy", "krw", "aud", "usd", "kwd", "bhd");

  it("parseMajor(toMajorString(m)) = m for every safe amount", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), currencies, (minor, currency) => {
        expect(parseMajor(toMajorString(minor, currency), currency)).toBe(minor);
      }),
      { numRuns: 500 },
    );
  });

  it("toMajorString(parseMajor(s)) = s for canonical decimal strings", () => {
    const exponentOf: Record<string, number> = { jpy: 0, krw: 0, aud: 2, usd: 2, kwd: 3, bhd: 3 };
    fc.assert(
      fc.property(currencies, fc.boolean(), fc.bigInt({ min: 0n, max: 899999999999n }), fc.nat({ max: 999 }), (currency, negative, whole, frac) => {
        const exponent = exponentOf[currency]!;
        const fraction = exponent === 0 ? "" : `.${String(frac % 10 ** exponent).padStart(exponent, "0")}`;
        const isZero = whole === 0n && !/[1-9]/.test(fraction);
        const text = `${negative && !isZero ? "-" : ""}${whole}${fraction}`;
        expect(toMajorString(parseMajor(text, currency), currency)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
