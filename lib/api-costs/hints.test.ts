import { describe, expect, it } from "vitest";
import { cheaperProviderHints, costHints, costOverRevenueHints, feeShareHints, quotaHints, type RateOffer } from "./hints";
import { formatterFor } from "@/lib/format";

const fmt = formatterFor({ locale: "en-AU" });

describe("quotaHints", () => {
  it.each([
    { used: 79_999, limit: 100_000, expected: null },
    { used: 80_000, limit: 100_000, expected: { severity: "warning", percent: 80 } },
    { used: 99_999, limit: 100_000, expected: { severity: "warning", percent: 100 } },
    { used: 100_000, limit: 100_000, expected: { severity: "critical", percent: 100 } },
    { used: 150_000, limit: 100_000, expected: { severity: "critical", percent: 150 } },
  ])("$used of $limit", ({ used, limit, expected }) => {
    const hints = quotaHints([{ provider: "geoscape", limit, period: "day", used }]);
    if (expected === null) expect(hints).toEqual([]);
    else expect(hints).toEqual([expect.objectContaining({ kind: "quota_near", provider: "geoscape", ...expected })]);
  });

  it("99.95 % rounds to 100.0 in the message but stays a warning until the limit is reached", () => {
    const [hint] = quotaHints([{ provider: "openai", limit: 20_000, period: "month", used: 19_990 }]);
    expect(hint).toMatchObject({ severity: "warning", percent: 100 });
    expect(hint?.message).toContain("monthly quota");
  });
});

describe("cheaperProviderHints", () => {
  const offer = (o: Partial<RateOffer> & Pick<RateOffer, "provider" | "unitCost">): RateOffer => ({ region: "AU", operation: "address_lookup", unit: "lookup", usedUnits: 0, ...o });

  it("names the cheapest other provider configured for the region and operation, with the period's saving", () => {
    const hints = cheaperProviderHints(
      [offer({ provider: "geoscape", unitCost: 0.9, usedUnits: 1000 }), offer({ provider: "smartystreets", unitCost: 0.6 }), offer({ provider: "other", unitCost: 0.7 })],
      "aud", fmt,
    );
    expect(hints).toEqual([expect.objectContaining({ kind: "cheaper_provider", provider: "geoscape", alternative: "smartystreets", estimatedSaving: 300 })]);
  });

  it("says nothing for the cheapest, for an unused provider, for another region, operation or unit", () => {
    expect(cheaperProviderHints([offer({ provider: "a", unitCost: 0.5, usedUnits: 10 }), offer({ provider: "b", unitCost: 0.9, usedUnits: 0 })], "aud", fmt)).toEqual([]);
    const used = offer({ provider: "a", unitCost: 0.9, usedUnits: 10 });
    expect(
      cheaperProviderHints([used, offer({ provider: "b", unitCost: 0.1, region: "US" }), offer({ provider: "c", unitCost: 0.1, operation: "geocode" }), offer({ provider: "d", unitCost: 0.1, unit: "request" })], "aud", fmt),
    ).toEqual([]);
  });
});

describe("costOverRevenueHints", () => {
  it("lists customers whose API cost exceeds their revenue, the largest shortfall first", () => {
    const hints = costOverRevenueHints(
      [
        { customerId: "cus_a", name: "A", revenue: 1000, apiCost: 1000 },
        { customerId: "cus_b", name: null, revenue: 0, apiCost: 10 },
        { customerId: "cus_c", name: "C", revenue: 100, apiCost: 600 },
      ],
      "aud", fmt,
    );
    expect(hints.map((h) => (h.kind === "cost_exceeds_revenue" ? h.customerId : ""))).toEqual(["cus_c", "cus_b"]);
    expect(hints[1]?.message).toContain("cus_b");
  });
});

describe("feeShareHints", () => {
  it("lists every brand/country by fee share and warns where it is ≥ 1.2 × the overall share over ≥ 3 payments", () => {
    const hints = feeShareHints([
      { brand: "visa", country: "AU", payments: 10, revenue: 100_000, fees: 2_000 },
      { brand: "amex", country: "AU", payments: 4, revenue: 10_000, fees: 350 },
      { brand: "visa", country: "US", payments: 2, revenue: 1_000, fees: 40 },
      { brand: null, country: null, payments: 1, revenue: 0, fees: 0 },
    ]);
    // Overall: 2390 / 111000 = 2.15 %; amex 3.5 % ≥ 2.58 % over 4 payments; visa US 4 % over 2 payments only.
    expect(hints.map((h) => (h.kind === "fee_share" ? [h.brand, h.country, h.percent, h.severity] : []))).toEqual([
      ["visa", "US", 4, "info"],
      ["amex", "AU", 3.5, "warning"],
      ["visa", "AU", 2, "info"],
    ]);
    expect(hints[0]).toMatchObject({ overallPercent: 2.2 });
  });
});

describe("costHints", () => {
  it("puts the most severe first", () => {
    const hints = costHints({
      fmt,
      currency: "aud",
      quotas: [{ provider: "openai", limit: 100, period: "month", used: 120 }],
      offers: [],
      customers: [{ customerId: "cus_a", name: "A", revenue: 0, apiCost: 5 }],
      feeShares: [{ brand: "visa", country: "AU", payments: 1, revenue: 100, fees: 2 }],
    });
    expect(hints.map((h) => [h.kind, h.severity])).toEqual([
      ["quota_near", "critical"],
      ["cost_exceeds_revenue", "warning"],
      ["fee_share", "info"],
    ]);
  });
});
