import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatterFor } from "./formatter";
import { SUPPORTED_LOCALES } from "./locales";

const MINUS = "\u2212";
/** Intl's spaces (no-break U+00A0, narrow no-break U+202F) read as plain spaces here. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");
const money = (locale: string, minor: number, currency: string) => plain(formatterFor({ locale }).money(minor, currency));

describe("money for the reader", () => {
  // The reader's own currency has its plain symbol; any other one a symbol that cannot be mistaken for it.
  it.each([
    ["en-AU", 1000, "aud", "$10.00"],
    ["en-AU", 1000, "usd", "US$10.00"],
    ["en-AU", 1000, "nzd", "NZ$10.00"],
    ["en-AU", 1000, "eur", "€10.00"],
    ["en-AU", 1000, "jpy", "JP¥1,000"],
    ["en-AU", 1234, "kwd", "KWD 1.234"],
    ["en-AU", -484, "aud", `${MINUS}$4.84`],
    ["en-AU", 123456789, "aud", "$1,234,567.89"],
    ["en-US", 1000, "aud", "A$10.00"],
    ["en-US", 1000, "usd", "$10.00"],
    ["en-US", -484, "aud", `${MINUS}A$4.84`],
    ["en-GB", 1000, "aud", "A$10.00"],
    ["en-GB", 1000, "gbp", "£10.00"],
    ["en-GB", 1000, "usd", "US$10.00"],
    ["en-NZ", 1000, "nzd", "$10.00"],
    ["en-NZ", 1000, "aud", "A$10.00"],
    ["de-DE", 1000, "eur", "10,00 €"],
    ["de-DE", 1000, "aud", "10,00 AU$"],
    ["de-DE", 123456789, "eur", "1.234.567,89 €"],
    ["de-DE", -484, "eur", `${MINUS}4,84 €`],
    ["fr-FR", 1000, "eur", "10,00 €"],
    ["fr-FR", 1000, "aud", "10,00 $AU"],
    ["fr-FR", 123456789, "eur", "1 234 567,89 €"],
    ["fr-FR", -484, "eur", `${MINUS}4,84 €`],
    ["ja-JP", 1000, "jpy", "￥1,000"],
    ["ja-JP", 1000, "aud", "A$10.00"],
    ["ja-JP", -484, "aud", `${MINUS}A$4.84`],
  ])("%s: %i %s → %s", (locale, minor, currency, expected) => {
    expect(money(locale, minor, currency)).toBe(expected);
  });

  it("writes a credit with a true minus sign (U+2212) in every locale, never a hyphen", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SUPPORTED_LOCALES), fc.constantFrom("aud", "usd", "eur", "jpy", "kwd"), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (locale, currency, minor) => {
        const credit = money(locale, -minor, currency);
        expect(credit).toContain(MINUS);
        expect(credit).not.toContain("-");
        expect(credit.replace(MINUS, "")).toBe(money(locale, minor, currency));
      }),
    );
  });

  it("keeps AUD unmistakable for every reader outside Australia", () => {
    for (const locale of SUPPORTED_LOCALES) {
      const text = money(locale, 1000, "aud");
      if (locale === "en-AU") expect(text).toBe("$10.00");
      else expect(text).toMatch(/A\$|AU\$|\$AU/);
    }
  });

  it("dates and counts follow the reader too", () => {
    const at = new Date("2026-12-05T03:00:00Z");
    expect(formatterFor({ locale: "en-AU" }).date(at)).toBe("5 Dec 2026");
    expect(formatterFor({ locale: "en-US" }).date(at)).toBe("Dec 5, 2026");
    expect(formatterFor({ locale: "de-DE" }).date(at)).toBe("5. Dez. 2026");
    expect(formatterFor({ locale: "de-DE" }).count(12345)).toBe("12.345");
    expect(plain(formatterFor({ locale: "fr-FR" }).usage("1234567.5"))).toBe("1 234 567,5");
    expect(formatterFor({ locale: "en-AU" }).usage("1234567.5")).toBe("1,234,567.5");
    expect(formatterFor({ locale: "en-AU", timeZone: "Australia/Sydney" }).date(at)).toBe("5 Dec 2026");
  });

  it("writes a period as its two days in the reader's zone", () => {
    const [start, end] = [new Date("2026-02-28T14:00:00Z"), new Date("2026-03-31T13:00:00Z")];
    expect(formatterFor({ locale: "en-AU", timeZone: "Australia/Sydney" }).period(start, end)).toBe("1 Mar 2026 – 1 Apr 2026");
    expect(formatterFor({ locale: "en-AU" }).period(start, end)).toBe("28 Feb 2026 – 31 Mar 2026");
    expect(formatterFor({ locale: "en-US" }).period(start, end, "Australia/Sydney")).toBe("Mar 1, 2026 – Apr 1, 2026");
  });
});
