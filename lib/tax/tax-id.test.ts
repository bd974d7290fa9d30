import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EU_COUNTRIES, formatTaxId, isValidAbn, isValidIrd, taxIdExamples, taxIdTypeForCountry, TAX_ID_TYPES, validateTaxId, type TaxIdType } from "./tax-id";

const valid = (type: TaxIdType, raw: string, country?: string) => {
  const result = validateTaxId(type, raw, { country });
  if (!result.ok) throw new Error(`${type} ${raw}: ${result.message}`);
  return result;
};
const invalid = (type: TaxIdType, raw: string, country?: string) => {
  const result = validateTaxId(type, raw, { country });
  if (result.ok) throw new Error(`${type} ${raw} passed as ${result.value}`);
  return result.message;
};

describe("validateTaxId: accepted numbers, normalized", () => {
  it.each<[TaxIdType, string, string, string]>([
    // ABNs: the ATO's example and real published ones, typed with the usual spacing.
    ["au_abn", "51 824 753 556", "51824753556", "AU"],
    ["au_abn", "53004085616", "53004085616", "AU"],
    ["au_abn", "33 102 417 032", "33102417032", "AU"],
    // IRD numbers from Inland Revenue's check-digit specification.
    ["nz_gst", "49-091-850", "49091850", "NZ"],
    ["nz_gst", "35901981", "35901981", "NZ"],
    ["nz_gst", "49098576", "49098576", "NZ"],
    ["nz_gst", "136-410-132", "136410132", "NZ"],
    ["nz_gst", "NZ 49-091-850", "49091850", "NZ"],
    // UK VAT: mod 97, mod 9755, branch suffix, government departments, health authorities.
    ["gb_vat", "GB 123 4567 82", "GB123456782", "GB"],
    ["gb_vat", "gb980780684", "GB980780684", "GB"],
    ["gb_vat", "123456727", "GB123456727", "GB"],
    ["gb_vat", "GB123456782001", "GB123456782001", "GB"],
    ["gb_vat", "GBGD001", "GBGD001", "GB"],
    ["gb_vat", "GBHA599", "GBHA599", "GB"],
    ["gb_vat", "XI 123 4567 82", "XI123456782", "GB"],
    // EU VAT, one per format family.
    ["eu_vat", "DE136695976", "DE136695976", "DE"],
    ["eu_vat", "de 136.695.976", "DE136695976", "DE"],
    ["eu_vat", "ATU13585627", "ATU13585627", "AT"],
    ["eu_vat", "BE0776091951", "BE0776091951", "BE"],
    ["eu_vat", "BE 0123.456.749", "BE0123456749", "BE"],
    ["eu_vat", "NL004495445B01", "NL004495445B01", "NL"],
    ["eu_vat", "FR40303265045", "FR40303265045", "FR"],
    ["eu_vat", "FRK7399859412", "FRK7399859412", "FR"],
    ["eu_vat", "EL094259216", "EL094259216", "GR"],
    ["eu_vat", "GR094259216", "EL094259216", "GR"],
    ["eu_vat", "ESA28015865", "ESA28015865", "ES"],
    ["eu_vat", "IE6388047V", "IE6388047V", "IE"],
    ["eu_vat", "IE3668997OH", "IE3668997OH", "IE"],
    ["eu_vat", "SE556703748501", "SE556703748501", "SE"],
    ["eu_vat", "CY10259033P", "CY10259033P", "CY"],
    ["eu_vat", "RO18547290", "RO18547290", "RO"],
    // US EIN and Canadian BN.
    ["us_ein", "12-3456789", "123456789", "US"],
    ["us_ein", "94 1081436", "941081436", "US"],
    ["ca_bn", "123456782", "123456782", "CA"],
    ["ca_bn", "123456782 RT0001", "123456782RT0001", "CA"],
  ])("%s %s → %s (%s)", (type, raw, value, country) => {
    expect(valid(type, raw)).toEqual({ ok: true, type, value, country });
  });

  it("an EU VAT number typed without its prefix takes the address's country", () => {
    expect(valid("eu_vat", "136695976", "DE").value).toBe("DE136695976");
    expect(valid("eu_vat", "094259216", "GR").value).toBe("EL094259216");
    expect(invalid("eu_vat", "136695976")).toMatch(/country code/);
    expect(invalid("eu_vat", "136695976", "US")).toMatch(/country code/);
  });

  it("every example shown as a placeholder is itself valid", () => {
    for (const type of TAX_ID_TYPES) expect(validateTaxId(type, taxIdExamples[type]).ok, type).toBe(true);
  });
});

describe("validateTaxId: refused numbers say why in words", () => {
  it.each<[TaxIdType, string, RegExp]>([
    ["au_abn", "51 824 753 557", /check digits don't match/],
    ["au_abn", "51 824 753 55", /11 digits; this has 10/],
    ["au_abn", "51 824 753 5566", /11 digits; this has 12/],
    ["au_abn", "5182475355A", /no letters/],
    ["au_abn", "01824753556", /check digits/],
    ["au_abn", "   ", /Enter the number/],
    ["nz_gst", "136410133", /check digit/],
    ["nz_gst", "9125568", /8 or 9 digits/],
    ["nz_gst", "160000000", /check digit/], // above the issued range
    ["gb_vat", "GB123456789", /check digits/],
    ["gb_vat", "GB12345678", /GB followed by 9 digits/],
    ["gb_vat", "GBGD599", /GB followed by 9 digits/],
    ["eu_vat", "DE13669597", /DE123456789/],
    ["eu_vat", "ATU1358562", /ATU12345678/],
    ["eu_vat", "BE0776091952", /VAT number for Belgium: its check digits/],
    ["eu_vat", "NL004495445A01", /NL123456789B01/],
    ["eu_vat", "GB123456782", /UK VAT number/],
    ["eu_vat", "US123456789", /not an EU country code/],
    ["eu_vat", "DE123456789", /VAT number for Germany: its check digits/],
    ["eu_vat", "FR12345678901", /VAT number for France: its check digits/],
    ["eu_vat", "SE556703748502", /SE123456789001/],
    ["us_ein", "07-1234567", /No EIN starts with 07/],
    ["us_ein", "12-345678", /9 digits/],
    ["ca_bn", "123456789", /check digit/],
    ["ca_bn", "123456782XX0001", /program account/],
    ["au_abn", "1".repeat(30), /too long/],
  ])("%s %s", (type, raw, message) => {
    expect(invalid(type, raw)).toMatch(message);
  });
});

describe("taxIdTypeForCountry", () => {
  it.each([
    ["AU", "au_abn"],
    ["nz", "nz_gst"],
    ["GB", "gb_vat"],
    ["US", "us_ein"],
    ["CA", "ca_bn"],
    ["DE", "eu_vat"],
    ["GR", "eu_vat"],
    ["JP", null],
    [null, null],
  ] as const)("%s → %s", (country, type) => {
    expect(taxIdTypeForCountry(country)).toBe(type);
  });

  it("covers the 27 member states", () => {
    expect(new Set(EU_COUNTRIES).size).toBe(27);
  });
});

describe("formatTaxId", () => {
  it.each<[TaxIdType, string, string]>([
    ["au_abn", "51824753556", "51 824 753 556"],
    ["nz_gst", "49091850", "49-091-850"],
    ["nz_gst", "136410132", "136-410-132"],
    ["gb_vat", "GB123456782", "GB 123 4567 82"],
    ["gb_vat", "GB123456782001", "GB 123 4567 82 001"],
    ["us_ein", "123456789", "12-3456789"],
    ["ca_bn", "123456782RT0001", "123456782 RT0001"],
    ["eu_vat", "DE136695976", "DE136695976"],
  ])("%s %s → %s", (type, value, shown) => {
    expect(formatTaxId(type, value)).toBe(shown);
  });
});

// ---- properties ----

const ABN_WEIGHTS = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];

/** A valid ABN from any 9-digit body: the two leading check digits are the one pair in 10..98 that makes the weighted sum ≡ 0 (mod 89). */
const abnArb = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }).map((body) => {
  const rest = body.reduce((sum, d, i) => sum + d * ABN_WEIGHTS[i + 2]!, 0);
  // (c1 − 1)·10 + c2 = check − 10, so the sum is check − 10 + rest.
  const check = 10 + ((((-rest % 89) + 89) % 89) % 89);
  return `${check}${body.join("")}`;
});

describe("tax IDs: properties", () => {
  it("every generated ABN validates, in any spacing, and formatting then re-validating round-trips", () => {
    fc.assert(
      fc.property(abnArb, fc.constantFrom(" ", "", "-", "."), (abn, sep) => {
        expect(abn).toMatch(/^\d{11}$/);
        expect(isValidAbn(abn)).toBe(true);
        const typed = abn.replace(/^(\d{2})(\d{3})(\d{3})(\d{3})$/, `$1${sep}$2${sep}$3${sep}$4`);
        const checked = valid("au_abn", typed);
        expect(checked.value).toBe(abn);
        expect(valid("au_abn", formatTaxId("au_abn", checked.value)).value).toBe(abn);
      }),
      { numRuns: 500 },
    );
  });

  it("changing any one digit of a valid ABN makes it invalid (the weights are all below 89, a prime)", () => {
    fc.assert(
      fc.property(abnArb, fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 9 }), (abn, position, delta) => {
        const digit = (Number(abn[position]) + delta) % 10;
        const changed = abn.slice(0, position) + String(digit) + abn.slice(position + 1);
        expect(validateTaxId("au_abn", changed).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("swapping two different adjacent digits of a valid ABN is caught too", () => {
    fc.assert(
      fc.property(abnArb, fc.integer({ min: 0, max: 9 }), (abn, i) => {
        fc.pre(abn[i] !== abn[i + 1]);
        const swapped = abn.slice(0, i) + abn[i + 1] + abn[i] + abn.slice(i + 2);
        expect(isValidAbn(swapped)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("validation is idempotent: a normalized value validates to itself, for every type", () => {
    const candidates = fc.oneof(
      abnArb.map((v) => ["au_abn", v] as const),
      fc.integer({ min: 10_000_000, max: 150_000_000 }).map((n) => ["nz_gst", String(n)] as const),
      fc.integer({ min: 0, max: 999_999_999 }).map((n) => ["gb_vat", `GB${String(n).padStart(9, "0")}`] as const),
      fc.integer({ min: 0, max: 999_999_999 }).map((n) => ["us_ein", String(n).padStart(9, "0")] as const),
      fc.integer({ min: 0, max: 999_999_999 }).map((n) => ["ca_bn", String(n).padStart(9, "0")] as const),
      fc.tuple(fc.constantFrom("DE", "EL", "PT", "EE"), fc.integer({ min: 0, max: 999_999_999 })).map(([p, n]) => ["eu_vat", `${p}${String(n).padStart(9, "0")}`] as const),
    );
    fc.assert(
      fc.property(candidates, ([type, raw]) => {
        const first = validateTaxId(type, raw);
        if (!first.ok) return;
        expect(validateTaxId(type, first.value)).toEqual(first);
        expect(validateTaxId(type, formatTaxId(type, first.value))).toEqual(first);
      }),
      { numRuns: 1000 },
    );
  });

  it("about one in eleven 8-digit IRD numbers in range has a valid check digit (the check is not a no-op)", () => {
    let ok = 0;
    for (let n = 40_000_000; n < 40_011_000; n++) if (isValidIrd(String(n))) ok++;
    expect(ok).toBeGreaterThan(800);
    expect(ok).toBeLessThan(1100);
  });
});
