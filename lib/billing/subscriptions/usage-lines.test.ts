import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXACT_SCALE, parseExactMinor, roundExactMinor } from "@/lib/money";
import { exactPriceAmount, priceAmount } from "../pricing";
import type { PriceTerms, PriceTier, SubscriptionItemTerms } from "../types";
import { billedQuantity, lateUsageLine, usageLine, usageLines } from "./usage-lines";
import { periodLines } from "./period-lines";

const JUNE = { from: new Date("2027-05-31T23:00:00Z"), to: new Date("2027-06-30T23:00:00Z") };

function item(price: Partial<PriceTerms>, usage: string | null = null): SubscriptionItemTerms {
  return {
    quantity: 1,
    plan: { id: "plan_calls", name: "API calls", interval: { unit: "month", count: 1 }, trialPeriodDays: 0 },
    price: { id: "price_calls", currency: "aud", taxBehavior: "inclusive", billingScheme: "per_unit", unitAmount: null, tiersMode: null, tiers: null, packageSize: null, usageType: "metered", meterId: "mtr_calls", ...price },
    usage: usage === null ? null : { ...JUNE, value: usage },
  };
}

/** Up to 4 graduated tiers with whole or sub-minor unit prices and optional flat amounts. */
const graduatedTiers = fc
  .array(fc.record({ width: fc.integer({ min: 1, max: 400 }), unit: fc.oneof(fc.integer({ min: 0, max: 500 }).map(String), fc.integer({ min: 0, max: 999_999 }).map((n) => `0.${String(n).padStart(6, "0")}`)), flat: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }) }), { minLength: 1, maxLength: 4 })
  .map((specs): PriceTier[] => {
    let upTo = 0;
    return specs.map((s, i) => {
      upTo += s.width;
      return { up_to: i === specs.length - 1 ? null : upTo, unit_amount: null, unit_amount_decimal: s.unit, flat_amount: s.flat };
    });
  });

/** The model: walk the units one by one, each priced in the tier it falls in; a tier's flat amount with its first unit. */
function unitByUnit(tiers: PriceTier[], events: number[]): bigint {
  let total = 0n;
  let used = 0;
  for (const units of events) {
    for (let u = 0; u < units; u++) {
      used += 1;
      let lower = 0;
      for (const tier of tiers) {
        const upper = tier.up_to ?? Number.MAX_SAFE_INTEGER;
        if (used <= upper) {
          total += parseExactMinor(tier.unit_amount_decimal ?? String(tier.unit_amount ?? 0));
          if (used === lower + 1) total += BigInt(tier.flat_amount ?? 0) * EXACT_SCALE;
          break;
        }
        lower = upper;
      }
    }
  }
  return total;
}

describe("usage lines", () => {
  it("property: the sum of per-event charges, unit by unit through the graduated tiers, equals the tier formula for the total", () => {
    fc.assert(
      fc.property(graduatedTiers, fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 12 }), (tiers, events) => {
        const price = item({ billingScheme: "tiered", tiersMode: "graduated", tiers }).price;
        const total = events.reduce((a, b) => a + b, 0);
        expect(exactPriceAmount(price, total)).toBe(unitByUnit(tiers, events));
        expect(usageLine(item(price), { ...JUNE, value: String(total) }).amount).toBe(roundExactMinor(unitByUnit(tiers, events)));
      }),
    );
  });

  it("property: a window's lines — the renewal's and every supplemental one — add up to the price of its whole usage, quantities too", () => {
    fc.assert(
      fc.property(graduatedTiers, fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 5 }), (tiers, reports) => {
        const metered = item({ billingScheme: "tiered", tiersMode: "graduated", tiers });
        let billed = { quantity: 0, amount: 0 };
        let measured = 0;
        for (const more of reports) {
          measured += more;
          const line = billed.quantity === 0 && billed.amount === 0 ? usageLine(metered, { ...JUNE, value: String(measured) }) : lateUsageLine({ item: metered, ...JUNE, ...billed }, String(measured));
          if (line) billed = { quantity: billed.quantity + line.quantity, amount: billed.amount + line.amount };
        }
        expect(billed).toEqual({ quantity: measured, amount: priceAmount(metered.price, measured) });
      }),
    );
  });

  it("property: the billed quantity is the measured value rounded up to a whole unit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 999_999 }), (whole, fraction) => {
        const value = fraction === 0 ? String(whole) : `${whole}.${String(fraction).padStart(6, "0")}`;
        expect(billedQuantity(value)).toBe(fraction === 0 ? whole : whole + 1);
      }),
    );
  });

  it("nothing more used: no supplemental line", () => {
    const metered = item({ unitAmount: 10 });
    expect(lateUsageLine({ item: metered, ...JUNE, quantity: 42, amount: 420 }, "42")).toBeNull();
    expect(lateUsageLine({ item: metered, ...JUNE, quantity: 42, amount: 420 }, "41.5")).toBeNull();
    expect(lateUsageLine({ item: metered, ...JUNE, quantity: 42, amount: 420 }, "43")).toMatchObject({ quantity: 1, amount: 10, description: "API calls usage reported late" });
  });

  it("licensed items bill in advance (periodLines), metered items in arrears (usageLines), never both", () => {
    const licensed: SubscriptionItemTerms = { ...item({ unitAmount: 2900, usageType: "licensed", meterId: null }), plan: { id: "plan_pro", name: "Pro", interval: { unit: "month", count: 1 }, trialPeriodDays: 0 } };
    const metered = item({ unitAmountDecimal: "0.15" }, "1234567");
    expect(periodLines([licensed, metered], { start: JUNE.from, end: JUNE.to }).map((l) => l.description)).toEqual(["Pro"]);
    expect(usageLines([licensed, metered])).toEqual([
      { description: "API calls usage", amount: 185_185, quantity: 1_234_567, unitAmount: null, periodStart: JUNE.from, periodEnd: JUNE.to, proration: false, priceId: "price_calls", planId: "plan_calls", taxBehavior: "inclusive" },
    ]);
    // A metered item whose usage was not loaded bills nothing (the loader always loads it).
    expect(usageLines([item({ unitAmount: 1 })])).toEqual([]);
  });
});
