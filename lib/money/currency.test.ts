import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { currencyExponent, isSupportedCurrency, MoneyError, normalizeCurrency, supportedCurrencies } from "@/lib/money";

function moneyError(fn: () => unknown): MoneyError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MoneyError);
    return error as MoneyError;
  }
  throw new Error("expected a MoneyError");
}

describe("currencyExponent", () => {
  it.each([
    ["aud", 2],
    ["AUD", 2],
    ["usd", 2],
    ["eur", 2],
    ["jpy", 0],
    ["JPY", 0],
    ["krw", 0],
    ["clp", 0],
    ["isk", 0],
    ["kwd", 3],
    ["bhd", 3],
    ["tnd", 3],
    ["omr", 3],
    // Real currencies whose codes start with X must not be caught by the metals/funds exclusion.
    ["xcd", 2],
    ["xof", 0],
    ["xpf", 0],
  ])("%s → %i", (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  it.each([
    "xau", "XAU", "xag", "xpt", "xpd", // metals
    "xxx", "xts", "xdr", "xba", "xsu", "xua", // no currency, testing, units of account
    "usn", "clf", "bov", "che", "chw", "cou", "mxv", "uyi", "uyw", // funds and index units
    "xyz", "US$", "usdd", "us", "", " aud", "aud ", "a1d", "ÅUD",
  ])("rejects %j as currency_unsupported", (code) => {
    const error = moneyError(() => currencyExponent(code));
    expect(error.code).toBe("currency_unsupported");
    expect(error.param).toBe("currency");
  });

  it("rejects non-strings from untyped callers", () => {
    for (const bad of [null, undefined, 36, {}]) {
      expect(moneyError(() => currencyExponent(bad as unknown as string)).code).toBe("currency_unsupported");
    }
  });

  it("agrees with the ISO 4217 XML: N.A. and fund codes rejected, every other exponent equal", () => {
    const require = createRequire(import.meta.url);
    const xml = readFileSync(require.resolve("currency-codes/iso-4217-list-one.xml"), "utf8");
    const entries = [...xml.matchAll(/<CcyNtry>([\s\S]*?)<\/CcyNtry>/g)].flatMap(([, body = ""]) => {
      const code = /<Ccy>([A-Z]{3})<\/Ccy>/.exec(body)?.[1];
      const minor = /<CcyMnrUnts>([^<]*)<\/CcyMnrUnts>/.exec(body)?.[1];
      return code === undefined || minor === undefined ? [] : [{ code, minor, fund: body.includes('IsFund="true"') }];
    });
    expect(entries.length).toBeGreaterThan(200);
    for (const { code, minor, fund } of entries) {
      if (minor === "N.A." || fund || code === "UYW") {
        expect(isSupportedCurrency(code), code).toBe(false);
      } else {
        expect(currencyExponent(code), code).toBe(Number(minor));
      }
    }
  });
});

describe("normalizeCurrency", () => {
  it.each([
    ["AUD", "aud"],
    ["aud", "aud"],
    ["Jpy", "jpy"],
    ["KWD", "kwd"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeCurrency(input)).toBe(expected);
  });

  it.each(["US$", "XYZ", "xau", "", "usd\n"])("rejects %j", (input) => {
    const error = moneyError(() => normalizeCurrency(input));
    expect(error.code).toBe("currency_unsupported");
    expect(error.message).toContain("ISO 4217");
  });

  it("names a custom field", () => {
    expect(moneyError(() => normalizeCurrency("XYZ", "prices[0].currency")).param).toBe("prices[0].currency");
  });
});

describe("supportedCurrencies", () => {
  it("lists lower-case codes including aud, jpy, kwd and none of the excluded ones", () => {
    const list = supportedCurrencies();
    expect(list).toEqual(expect.arrayContaining(["aud", "jpy", "kwd", "usd", "eur", "nzd", "gbp"]));
    expect(list).not.toContain("xau");
    expect(list).not.toContain("usn");
    expect(list.every((c) => /^[a-z]{3}$/.test(c))).toBe(true);
  });
});
