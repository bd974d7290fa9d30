import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideTax, defaultTaxSettings, jurisdictionName, percentageToRate, rateOn, REVERSE_CHARGE_WORDING, taxEngine, taxSettings, type TaxRegistrationRule } from "./engine";
import type { TaxableCustomer, TaxBehavior } from "./port";
import { BUILT_IN_RATES, EU_MEMBER_STATES, type TaxRateRule } from "./rates";

const AT = new Date("2026-03-01T00:00:00Z");

const reg = (country: string, scheme: TaxRegistrationRule["scheme"] = "standard", region: string | null = null, activeFrom: string | null = null): TaxRegistrationRule => ({ country, region, scheme, activeFrom });
const staffRate = (country: string, region: string | null, kind: TaxRateRule["kind"], percentage: string, effectiveFrom: string | null, saasTaxable = true, effectiveTo: string | null = null): TaxRateRule => ({
  country,
  region,
  kind,
  percentage,
  effectiveFrom,
  effectiveTo,
  saasTaxable,
  source: `txr_${country}${region ?? ""}`,
});
const who = (country: string, extra: Partial<TaxableCustomer> & { state?: string } = {}): TaxableCustomer => ({
  address: { country, state: extra.state ?? null },
  currency: extra.currency ?? "eur",
  taxExempt: extra.taxExempt ?? "none",
  taxIds: extra.taxIds ?? [],
});

function taxOn(settings: ReturnType<typeof taxSettings>, customer: TaxableCustomer, amount: number, behavior: TaxBehavior, asOf = AT) {
  return taxEngine(settings).calculate({ customer, lines: [{ amount, taxBehavior: behavior }], asOf })[0] ?? [];
}

const seller = (registrations: TaxRegistrationRule[], rates: TaxRateRule[] = [], home = "AU") => taxSettings({ rates, registrations }, home);

describe("acceptance: tax per jurisdiction, in minor units", () => {
  it.each<[string, ReturnType<typeof taxSettings>, TaxableCustomer, number, TaxBehavior, { amount: number; rate: string; jurisdiction: string; inclusive: boolean; reverseCharge: boolean }[]]>([
    ["AU inclusive A$10.00 → GST 91", defaultTaxSettings("AU"), who("AU", { currency: "aud" }), 1000, "inclusive", [{ amount: 91, rate: "0.1", jurisdiction: "AU GST", inclusive: true, reverseCharge: false }]],
    ["NZ exclusive NZ$100.00 → GST 15.00", seller([], [], "NZ"), who("NZ", { currency: "nzd" }), 10_000, "exclusive", [{ amount: 1500, rate: "0.15", jurisdiction: "NZ GST", inclusive: false, reverseCharge: false }]],
    ["UK exclusive £49.99 → VAT 10.00 (9.998)", seller([], [], "GB"), who("GB", { currency: "gbp" }), 4999, "exclusive", [{ amount: 1000, rate: "0.2", jurisdiction: "UK VAT", inclusive: false, reverseCharge: false }]],
    ["UK inclusive £12.00 → VAT 2.00", seller([], [], "GB"), who("GB", { currency: "gbp" }), 1200, "inclusive", [{ amount: 200, rate: "0.2", jurisdiction: "UK VAT", inclusive: true, reverseCharge: false }]],
    ["DE consumer from an Irish OSS seller: 19%", seller([reg("IE", "oss")], [], "IE"), who("DE"), 10_000, "exclusive", [{ amount: 1900, rate: "0.19", jurisdiction: "DE VAT", inclusive: false, reverseCharge: false }]],
    ["FR consumer from an Irish OSS seller: 20% inclusive", seller([reg("IE", "oss")], [], "IE"), who("FR"), 1200, "inclusive", [{ amount: 200, rate: "0.2", jurisdiction: "FR VAT", inclusive: true, reverseCharge: false }]],
    ["IE consumer from an Irish seller: 23%", seller([reg("IE", "oss")], [], "IE"), who("IE"), 10_000, "exclusive", [{ amount: 2300, rate: "0.23", jurisdiction: "IE VAT", inclusive: false, reverseCharge: false }]],
    [
      "German business with a valid VAT number buying from an Irish seller: reverse charge, 0",
      seller([reg("IE", "oss")], [], "IE"),
      who("DE", { taxIds: [{ type: "eu_vat", value: "DE136695976" }] }),
      10_000,
      "exclusive",
      [{ amount: 0, rate: "0", jurisdiction: "DE VAT", inclusive: false, reverseCharge: true }],
    ],
    ["Irish business from an Irish seller: domestic VAT, not reverse-charged", seller([reg("IE")], [], "IE"), who("IE", { taxIds: [{ type: "eu_vat", value: "IE6388047V" }] }), 10_000, "exclusive", [{ amount: 2300, rate: "0.23", jurisdiction: "IE VAT", inclusive: false, reverseCharge: false }]],
    ["exempt customer (certificate on file): none", defaultTaxSettings("AU"), who("AU", { currency: "aud", taxExempt: "exempt" }), 10_000, "exclusive", []],
    [
      "US Texas, SaaS taxable at 6.25% set by staff",
      seller([reg("US", "standard", "TX")], [staffRate("US", "TX", "sales_tax", "6.25", "2026-01-01")], "US"),
      who("US", { state: "TX", currency: "usd" }),
      10_000,
      "exclusive",
      [{ amount: 625, rate: "0.0625", jurisdiction: "US sales tax (TX)", inclusive: false, reverseCharge: false }],
    ],
    ["US California, SaaS not taxable (set by staff)", seller([reg("US", "standard", "CA")], [staffRate("US", "CA", "sales_tax", "7.25", "2026-01-01", false)], "US"), who("US", { state: "CA", currency: "usd" }), 10_000, "exclusive", []],
    ["Canada Ontario: HST 13%", seller([], [], "CA"), who("CA", { state: "ON", currency: "cad" }), 10_000, "exclusive", [{ amount: 1300, rate: "0.13", jurisdiction: "CA HST (ON)", inclusive: false, reverseCharge: false }]],
    ["Canada Alberta: GST 5%", seller([], [], "CA"), who("CA", { state: "AB", currency: "cad" }), 10_000, "exclusive", [{ amount: 500, rate: "0.05", jurisdiction: "CA GST", inclusive: false, reverseCharge: false }]],
  ])("%s", (_name, settings, customer, amount, behavior, expected) => {
    expect(taxOn(settings, customer, amount, behavior)).toEqual(expected);
  });

  it("a rate change on a date splits invoices before and after it; issued amounts are not recomputed", () => {
    const settings = seller([], [staffRate("AU", null, "gst", "12.5", "2026-07-01")], "AU");
    const before = taxOn(settings, who("AU", { currency: "aud" }), 10_000, "exclusive", new Date("2026-06-30T23:59:59Z"));
    const after = taxOn(settings, who("AU", { currency: "aud" }), 10_000, "exclusive", new Date("2026-07-01T00:00:00Z"));
    expect(before).toEqual([expect.objectContaining({ amount: 1000, rate: "0.1" })]);
    expect(after).toEqual([expect.objectContaining({ amount: 1250, rate: "0.125" })]);
  });

  it("shipped rate history: Finland 24% before 1 Sept 2024, 25.5% from it", () => {
    const s = seller([reg("FI")], [], "FI");
    expect(taxOn(s, who("FI"), 10_000, "exclusive", new Date("2024-08-31T12:00:00Z"))[0]?.amount).toBe(2400);
    expect(taxOn(s, who("FI"), 10_000, "exclusive", new Date("2024-09-01T00:00:00Z"))[0]?.amount).toBe(2550);
  });

  it("the reverse-charge wording is the directive's", () => {
    expect(REVERSE_CHARGE_WORDING).toBe("Reverse charge: VAT to be accounted for by the recipient (Article 196, Council Directive 2006/112/EC)");
  });
});

describe("registrations: tax only where registered", () => {
  it("an AU install charges no tax to NZ, UK, EU or US customers", () => {
    for (const c of ["NZ", "GB", "DE", "US"]) expect(taxOn(defaultTaxSettings("AU"), who(c), 10_000, "exclusive")).toEqual([]);
  });

  it("a registration starting later charges from its first day", () => {
    const s = seller([reg("NZ", "standard", null, "2026-04-01")]);
    expect(taxOn(s, who("NZ"), 10_000, "exclusive", new Date("2026-03-31T10:00:00Z"))).toEqual([]);
    expect(taxOn(s, who("NZ"), 10_000, "exclusive", new Date("2026-04-01T00:00:00Z"))[0]?.amount).toBe(1500);
  });

  it("a US state registration covers that state only, and a registered state with no rate charges none (no invented rates)", () => {
    const s = seller([reg("US", "standard", "TX")], [staffRate("US", "TX", "sales_tax", "6.25", null)]);
    expect(taxOn(s, who("US", { state: "NY" }), 10_000, "exclusive")).toEqual([]);
    expect(decideTax(seller([reg("US", "standard", "WA")]), who("US", { state: "WA" }), AT)).toMatchObject({ kind: "none", reason: expect.stringMatching(/No tax rate for US-WA/) });
  });

  it("an EU seller without OSS: a consumer in another member state pays the seller's own rate; with a VAT number, reverse charge", () => {
    const s = seller([reg("IE")], [], "IE");
    expect(taxOn(s, who("FR"), 10_000, "exclusive")[0]).toMatchObject({ amount: 2300, jurisdiction: "IE VAT" });
    expect(taxOn(s, who("FR", { taxExempt: "reverse" }), 10_000, "exclusive")[0]).toMatchObject({ amount: 0, reverseCharge: true, jurisdiction: "FR VAT" });
  });

  it("a malformed VAT number does not make a business: the consumer rate applies", () => {
    const s = seller([reg("IE", "oss")], [], "IE");
    expect(taxOn(s, who("DE", { taxIds: [{ type: "eu_vat", value: "DE123456789" }] }), 10_000, "exclusive")[0]).toMatchObject({ amount: 1900, reverseCharge: false });
  });

  it("a stored registration for the home country replaces the default one", () => {
    const s = seller([reg("AU", "standard", null, "2027-01-01")]);
    expect(s.registrations).toHaveLength(1);
    expect(taxOn(s, who("AU"), 10_000, "exclusive")).toEqual([]);
  });
});

describe("rate table", () => {
  it("ships the 27 EU member states, one rate in force for each on any day", () => {
    expect(EU_MEMBER_STATES).toHaveLength(27);
    for (const day of ["2020-01-01", "2024-09-01", "2025-07-01", "2026-12-31"]) for (const c of EU_MEMBER_STATES) expect(rateOn(BUILT_IN_RATES, c, null, day), `${c} ${day}`).not.toBeNull();
  });

  it("ships no US rate", () => {
    expect(BUILT_IN_RATES.filter((r) => r.country === "US")).toEqual([]);
  });

  it("percentages become rate fractions exactly; names read the local way", () => {
    expect(percentageToRate("10")).toBe("0.1");
    expect(percentageToRate("25.5")).toBe("0.255");
    expect(percentageToRate("9.975")).toBe("0.09975");
    expect(jurisdictionName({ country: "GB", region: null, kind: "vat" })).toBe("UK VAT");
    expect(jurisdictionName({ country: "CA", region: "NS", kind: "gst" })).toBe("CA HST (NS)");
  });
});

describe("property: an inclusive price splits into net + tax = gross exactly, in every jurisdiction", () => {
  const places = BUILT_IN_RATES.map((r) => [r.country, r.region] as const);
  it("holds for any gross amount and shipped rate", () => {
    fc.assert(
      fc.property(fc.constantFrom(...places), fc.integer({ min: 0, max: 10_000_000_000 }), fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true }), ([country, region], gross, asOf) => {
        const settings = seller([reg(country, "standard", region)], [], country);
        const [tax] = taxOn(settings, who(country, { state: region ?? undefined }), gross, "inclusive", asOf);
        expect(tax).toBeDefined();
        const net = gross - tax!.amount;
        expect(net + tax!.amount).toBe(gross);
        // The tax is the rate's share of the gross, to half a minor unit: |tax × (1 + r) − gross × r| ≤ (1 + r) / 2.
        const [n, d] = fractionOf(tax!.rate);
        expect(2n * abs(BigInt(tax!.amount) * (d + n) - BigInt(gross) * n)).toBeLessThanOrEqual(d + n);
        expect(tax!.amount).toBeGreaterThanOrEqual(0);
        expect(tax!.amount).toBeLessThanOrEqual(gross);
      }),
      { numRuns: 500 },
    );
  });
});

function fractionOf(rate: string): [bigint, bigint] {
  const [whole = "0", frac = ""] = rate.split(".");
  return [BigInt(whole + frac), 10n ** BigInt(frac.length)];
}
const abs = (x: bigint) => (x < 0n ? -x : x);
