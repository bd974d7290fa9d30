import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PriceTerms, PriceTier } from "../types";
import { exactPriceAmount, tierBreakdown } from "./index";

const base: PriceTerms = { id: "price_test", currency: "aud", taxBehavior: "inclusive", billingScheme: "tiered", unitAmount: null, tiersMode: "graduated", tiers: null, packageSize: null };
const tiered = (tiersMode: "graduated" | "volume", tiers: PriceTier[]): PriceTerms => ({ ...base, tiersMode, tiers });

/** "API calls": first 1,000 free, then 0.2 minor units each. */
const apiCalls = tiered("graduated", [
  { up_to: 1000, unit_amount: 0, flat_amount: null },
  { up_to: null, unit_amount: null, unit_amount_decimal: "0.2", flat_amount: null },
]);

describe("tierBreakdown", () => {
  it("splits 1,500 API calls into 1,000 free and 500 at 0.2 minor units", () => {
    expect(tierBreakdown(apiCalls, 1500)).toEqual([
      { tier: 0, units: 1000, exact: 0n },
      { tier: 1, units: 500, exact: 100n * 10n ** 12n },
    ]);
  });

  it("leaves out tiers the quantity does not reach, and has no parts for nothing used", () => {
    expect(tierBreakdown(apiCalls, 999)).toEqual([{ tier: 0, units: 999, exact: 0n }]);
    expect(tierBreakdown(apiCalls, 0)).toEqual([]);
  });

  it("volume: one part, the tier reached pricing every unit", () => {
    const volume = tiered("volume", [
      { up_to: 1000, unit_amount: null, unit_amount_decimal: "0.3", flat_amount: null },
      { up_to: null, unit_amount: null, unit_amount_decimal: "0.2", flat_amount: 100 },
    ]);
    expect(tierBreakdown(volume, 1500)).toEqual([{ tier: 1, units: 1500, exact: 400n * 10n ** 12n }]);
  });

  it("is null for a price that is not tiered", () => {
    expect(tierBreakdown({ ...base, billingScheme: "per_unit", tiersMode: null, unitAmount: 5 }, 10)).toBeNull();
  });
});

/** Increasing caps, an open last tier; whole, sub-minor and absent unit prices; flat amounts or not. */
const tiersArb: fc.Arbitrary<PriceTier[]> = fc
  .array(
    fc.record({
      width: fc.integer({ min: 1, max: 5000 }),
      unit: fc.oneof(
        fc.record({ unit_amount: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }) }),
        fc.record({ unit_amount: fc.constant(null), unit_amount_decimal: fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999_999 })).map(([w, f]) => `${w}.${String(f).padStart(6, "0")}`) }),
      ),
      flat_amount: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((raw) => {
    let upTo = 0;
    return raw.map((t, i) => {
      upTo += t.width;
      return { up_to: i === raw.length - 1 ? null : upTo, ...t.unit, flat_amount: t.flat_amount };
    });
  });

describe("tierBreakdown properties", () => {
  it("its parts add up to exactPriceAmount, and their units to the quantity (graduated) or all of it in one part (volume)", () => {
    fc.assert(
      fc.property(fc.constantFrom("graduated" as const, "volume" as const), tiersArb, fc.integer({ min: 0, max: 10_000_000 }), (mode, tiers, quantity) => {
        const price = tiered(mode, tiers);
        const parts = tierBreakdown(price, quantity) ?? [];
        expect(parts.reduce((sum, p) => sum + p.exact, 0n)).toBe(exactPriceAmount(price, quantity));
        expect(parts.reduce((sum, p) => sum + p.units, 0)).toBe(quantity);
        expect(parts.every((p) => p.units > 0)).toBe(true);
        if (mode === "volume") expect(parts.length).toBeLessThanOrEqual(1);
        // Tiers in order, each at most once.
        expect(parts.map((p) => p.tier)).toEqual([...new Set(parts.map((p) => p.tier))].sort((a, b) => a - b));
      }),
    );
  });
});
