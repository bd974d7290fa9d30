import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { PriceTerms, PriceTier } from "../types";
import { exactPriceAmount, priceAmount, pricingModelOf, tierBreakdown } from "./index";

function price(overrides: Partial<PriceTerms> = {}): PriceTerms {
  return {
    id: "price_test",
    currency: "aud",
    taxBehavior: "inclusive",
    billingScheme: "per_unit",
    unitAmount: null,
    tiersMode: null,
    tiers: null,
    packageSize: null,
    ...overrides,
  };
}

const perUnit = (unitAmount: number, currency = "aud") => price({ unitAmount, currency });
const pkg = (unitAmount: number, packageSize: number, currency = "aud") => price({ unitAmount, packageSize, currency });
const tiered = (tiersMode: "graduated" | "volume", tiers: PriceTier[], currency = "aud") =>
  price({ billingScheme: "tiered", tiersMode, tiers, currency });

const tiers: PriceTier[] = [
  { up_to: 10, unit_amount: 100, flat_amount: null },
  { up_to: null, unit_amount: 80, flat_amount: 200 },
];

/** Flat amounts on every tier: a tier "fee" plus (or instead of) a per-unit amount. */
const flatTiers: PriceTier[] = [
  { up_to: 5, unit_amount: null, flat_amount: 1000 },
  { up_to: 20, unit_amount: 50, flat_amount: 300 },
  { up_to: null, unit_amount: 25, flat_amount: 0 },
];

function appError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected an AppError");
}

describe("pricingModelOf", () => {
  it.each([
    [perUnit(1000), "per_unit"],
    [pkg(500, 10), "package"],
    [pkg(500, 1), "per_unit"], // a package of one is per unit
    [tiered("graduated", tiers), "graduated"],
    [tiered("volume", tiers), "volume"],
  ] as const)("%# → %s", (p, model) => {
    expect(pricingModelOf(p)).toBe(model);
  });
});

describe("priceAmount: per unit", () => {
  it.each([
    [1000, 3, 3000],
    [1000, 1, 1000],
    [1000, 0, 0],
    [0, 7, 0],
    [1999, 12, 23988],
  ])("%i × %i = %i", (unit, quantity, expected) => {
    expect(priceAmount(perUnit(unit), quantity)).toBe(expected);
  });
});

describe("priceAmount: package", () => {
  it.each([
    [0, 0],
    [1, 500],
    [9, 500],
    [10, 500],
    [11, 1000],
    [20, 1000],
    [21, 1500],
  ])("size 10 at 500, quantity %i → %i", (quantity, expected) => {
    expect(priceAmount(pkg(500, 10), quantity)).toBe(expected);
  });
});

describe("priceAmount: graduated", () => {
  it.each([
    [0, 0],
    [1, 100],
    [5, 500],
    [10, 1000],
    [11, 1000 + 80 + 200],
    [25, 1000 + 15 * 80 + 200],
  ])("quantity %i → %i", (quantity, expected) => {
    expect(priceAmount(tiered("graduated", tiers), quantity)).toBe(expected);
  });

  it.each([
    [0, 0],
    [1, 1000],
    [5, 1000],
    [6, 1000 + 50 + 300],
    [20, 1000 + 15 * 50 + 300],
    [21, 1000 + 15 * 50 + 300 + 25],
    [100, 1000 + 15 * 50 + 300 + 80 * 25],
  ])("with flat amounts, quantity %i → %i", (quantity, expected) => {
    expect(priceAmount(tiered("graduated", flatTiers), quantity)).toBe(expected);
  });
});

describe("priceAmount: volume", () => {
  it.each([
    [0, 0],
    [1, 100],
    [5, 500],
    [10, 1000],
    [11, 11 * 80 + 200],
    [25, 25 * 80 + 200],
  ])("quantity %i → %i", (quantity, expected) => {
    expect(priceAmount(tiered("volume", tiers), quantity)).toBe(expected);
  });

  it.each([
    [0, 0],
    [1, 1000],
    [5, 1000],
    [6, 6 * 50 + 300],
    [20, 20 * 50 + 300],
    [21, 21 * 25],
    [100, 100 * 25],
  ])("with flat amounts, quantity %i → %i", (quantity, expected) => {
    expect(priceAmount(tiered("volume", flatTiers), quantity)).toBe(expected);
  });

  it("prices quantities past a capped last tier at the last tier", () => {
    const capped: PriceTier[] = [
      { up_to: 10, unit_amount: 100, flat_amount: null },
      { up_to: 20, unit_amount: 90, flat_amount: null },
    ];
    expect(priceAmount(tiered("volume", capped), 30)).toBe(30 * 90);
  });
});

describe("priceAmount: currencies with 0 and 3 decimals (R13)", () => {
  // The engine works in minor units only: the same integers give the same integers whatever the exponent.
  const cases: Array<[string, (currency: string) => PriceTerms, number, number]> = [
    ["per unit", (c) => perUnit(1000, c), 3, 3000],
    ["package", (c) => pkg(500, 10, c), 11, 1000],
    ["graduated", (c) => tiered("graduated", tiers, c), 25, 2400],
    ["volume", (c) => tiered("volume", tiers, c), 25, 2200],
  ];
  it.each(cases)("%s", (_name, make, quantity, expected) => {
    for (const currency of ["aud", "jpy", "kwd"]) {
      const amount = priceAmount(make(currency), quantity);
      expect(amount).toBe(expected);
      expect(Number.isSafeInteger(amount)).toBe(true);
    }
  });

  it("¥1,500 × 3 = ¥4,500 and 1.250 KWD × 3 = 3.750 KWD", () => {
    expect(priceAmount(perUnit(1500, "jpy"), 3)).toBe(4500);
    expect(priceAmount(perUnit(1250, "kwd"), 3)).toBe(3750);
  });
});

describe("priceAmount: invalid quantity", () => {
  const models = [perUnit(1000), pkg(500, 10), tiered("graduated", tiers), tiered("volume", tiers)];
  it.each([-1, -100, 1.5, 0.1, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])(
    "quantity %s → AppError out_of_range naming quantity",
    (quantity) => {
      for (const p of models) {
        const error = appError(() => priceAmount(p, quantity));
        expect(error.code).toBe("out_of_range");
        expect(error.param).toBe("quantity");
      }
    },
  );
});

// ---- properties ----

const unitAmountArb = fc.integer({ min: 0, max: 1_000_000 });
const quantityArb = fc.integer({ min: 0, max: 100_000 });

/** Tiers with increasing caps and an open last tier, amounts possibly absent. */
const tiersArb: fc.Arbitrary<PriceTier[]> = fc
  .array(
    fc.record({
      width: fc.integer({ min: 1, max: 1000 }),
      unit_amount: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
      flat_amount: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((raw) => {
    let upTo = 0;
    return raw.map((t, i) => {
      upTo += t.width;
      return { up_to: i === raw.length - 1 ? null : upTo, unit_amount: t.unit_amount, flat_amount: t.flat_amount };
    });
  });

const priceArb: fc.Arbitrary<PriceTerms> = fc.oneof(
  unitAmountArb.map((u) => perUnit(u)),
  fc.tuple(unitAmountArb, fc.integer({ min: 2, max: 1000 })).map(([u, s]) => pkg(u, s)),
  tiersArb.map((t) => tiered("graduated", t)),
  tiersArb.map((t) => tiered("volume", t)),
);

describe("priceAmount properties", () => {
  it("every model gives a safe non-negative integer", () => {
    fc.assert(
      fc.property(priceArb, quantityArb, (p, q) => {
        const amount = priceAmount(p, q);
        expect(Number.isSafeInteger(amount)).toBe(true);
        expect(amount).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("quantity 0 costs nothing in every model", () => {
    fc.assert(
      fc.property(priceArb, (p) => {
        expect(priceAmount(p, 0)).toBe(0);
      }),
    );
  });

  it("graduated is monotonic non-decreasing in quantity", () => {
    fc.assert(
      fc.property(tiersArb, quantityArb, quantityArb, (t, a, b) => {
        const p = tiered("graduated", t);
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(priceAmount(p, lo)).toBeLessThanOrEqual(priceAmount(p, hi));
      }),
    );
  });

  it("graduated without flat amounts equals the sum of the units priced tier by tier", () => {
    fc.assert(
      fc.property(tiersArb, fc.integer({ min: 0, max: 3000 }), (t, q) => {
        const noFlat = t.map((tier) => ({ ...tier, flat_amount: null }));
        let expected = 0;
        for (let unit = 1; unit <= q; unit++) {
          const tier = noFlat.find((x) => x.up_to === null || unit <= x.up_to)!;
          expected += tier.unit_amount ?? 0;
        }
        expect(priceAmount(tiered("graduated", noFlat), q)).toBe(expected);
      }),
      { numRuns: 50 },
    );
  });

  it("per unit is linear: f(a + b) = f(a) + f(b) and f(q) = unit × q", () => {
    fc.assert(
      fc.property(unitAmountArb, quantityArb, quantityArb, (u, a, b) => {
        const p = perUnit(u);
        expect(priceAmount(p, a + b)).toBe(priceAmount(p, a) + priceAmount(p, b));
        expect(priceAmount(p, a)).toBe(u * a);
      }),
    );
  });

  it("package is ceil(quantity / size) × unit amount", () => {
    fc.assert(
      fc.property(unitAmountArb, fc.integer({ min: 2, max: 1000 }), quantityArb, (u, size, q) => {
        expect(priceAmount(pkg(u, size), q)).toBe(Math.ceil(q / size) * u);
      }),
    );
  });

  it("volume prices every unit at the tier the whole quantity reaches", () => {
    fc.assert(
      fc.property(tiersArb, fc.integer({ min: 1, max: 100_000 }), (t, q) => {
        const tier = t.find((x) => x.up_to === null || q <= x.up_to)!;
        expect(priceAmount(tiered("volume", t), q)).toBe(q * (tier.unit_amount ?? 0) + (tier.flat_amount ?? 0));
      }),
    );
  });
});

describe("sub-minor-unit prices (unit_amount_decimal)", () => {
  const decimalPrice = (d: string): PriceTerms => ({ id: "price_d", currency: "usd", taxBehavior: "exclusive", billingScheme: "per_unit", unitAmount: null, unitAmountDecimal: d, tiersMode: null, tiers: null, packageSize: null });
  it.each([
    ["0.04", 12345, 494],
    ["0.04", 1, 0],
    ["0.5", 1, 1],
    ["0.125", 4, 1],
    ["1000", 3, 3000],
    ["0.0004", 1_000_000, 400],
  ])("%s × %i → %i (rounded once, half away from zero)", (d, q, expected) => {
    expect(priceAmount(decimalPrice(d), q)).toBe(expected);
  });
});

describe("priceAmount: sub-minor-unit prices (metered usage)", () => {
  const decimalTiers = (tiers: PriceTier[]) => tiered("graduated", tiers);
  /** "API calls": the first 1,000 free, then A$0.002 (0.2 cents) each, graduated. */
  const apiCalls = decimalTiers([
    { up_to: 1000, unit_amount: 0, flat_amount: null },
    { up_to: null, unit_amount: null, unit_amount_decimal: "0.2", flat_amount: null },
  ]);

  it("A$0.0015 × 1,234,567 calls is 185,185.05 cents, rounded once to 185,185", () => {
    expect(priceAmount(price({ unitAmountDecimal: "0.15" }), 1_234_567)).toBe(185_185);
    expect(exactPriceAmount(price({ unitAmountDecimal: "0.15" }), 1_234_567)).toBe(185_185_050_000_000_000n);
  });

  it("included units are a free first tier: 999 and 1,000 calls cost nothing, 5,000 cost 800 cents", () => {
    expect(priceAmount(apiCalls, 999)).toBe(0);
    expect(priceAmount(apiCalls, 1000)).toBe(0);
    expect(priceAmount(apiCalls, 1001)).toBe(0); // 0.2 of a cent rounds to nothing
    expect(priceAmount(apiCalls, 1003)).toBe(1); // 0.6 rounds half away from zero to 1
    expect(priceAmount(apiCalls, 5000)).toBe(800);
  });

  it("a volume tier with a decimal price prices every unit at the tier the total reaches", () => {
    const volume = tiered("volume", [
      { up_to: 10_000, unit_amount: null, unit_amount_decimal: "0.25", flat_amount: null },
      { up_to: null, unit_amount: null, unit_amount_decimal: "0.125", flat_amount: 100 },
    ]);
    expect(priceAmount(volume, 10_000)).toBe(2500);
    expect(priceAmount(volume, 10_001)).toBe(1350); // 10,001 × 0.125 = 1,250.125, + 100 flat
  });

  /** Tiers with random decimal and whole unit prices and flat fees. */
  const tierArb = fc
    .array(
      fc.record({
        width: fc.integer({ min: 1, max: 300 }),
        unit: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 500 }).map((n) => ({ whole: n })), fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 999_999 })).map(([w, f]) => ({ decimal: `${w}.${String(f).padStart(6, "0")}` }))),
        flat: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }),
      }),
      { minLength: 1, maxLength: 5 },
    )
    .map((specs) => {
      let upTo = 0;
      return specs.map((s, k): PriceTier => {
        upTo += s.width;
        const last = k === specs.length - 1;
        const unit = s.unit ?? (s.flat === null ? { whole: 0 } : null);
        return {
          up_to: last ? null : upTo,
          unit_amount: unit && "whole" in unit ? unit.whole : null,
          unit_amount_decimal: unit && "decimal" in unit ? unit.decimal : null,
          flat_amount: s.flat,
        };
      });
    });

  /** The tier formula, unit by unit: each unit at its tier's price, each tier's flat amount when its first unit arrives. */
  function unitByUnit(tiers: PriceTier[], quantity: number): bigint {
    const SCALE = 10n ** 12n;
    const unitPrice = (t: PriceTier) => (t.unit_amount_decimal ? BigInt(t.unit_amount_decimal.replace(".", "").padEnd(t.unit_amount_decimal.indexOf(".") + 1 + 12 - 1, "0")) : BigInt(t.unit_amount ?? 0) * SCALE);
    let total = 0n;
    let lower = 0;
    for (let unit = 1; unit <= quantity; unit++) {
      const k = tiers.findIndex((t) => t.up_to === null || unit <= t.up_to);
      const tier = tiers[k]!;
      total += unitPrice(tier);
      const start = k === 0 ? 1 : (tiers[k - 1]!.up_to ?? 0) + 1;
      if (unit === start) total += BigInt(tier.flat_amount ?? 0) * SCALE;
      lower = unit;
    }
    expect(lower).toBe(quantity);
    return total;
  }

  it("property: usage events priced one by one through graduated tiers add up to the tier formula for their total, and the line is that total rounded once", () => {
    fc.assert(
      fc.property(tierArb, fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 20 }), (tierList, events) => {
        const p = decimalTiers(tierList);
        // Each event's charge: what it adds to the period's amount so far (exact, before the line's rounding).
        let sofar = 0;
        let charged = 0n;
        for (const units of events) {
          charged += exactPriceAmount(p, sofar + units) - exactPriceAmount(p, sofar);
          sofar += units;
        }
        const exact = exactPriceAmount(p, sofar);
        expect(charged).toBe(exact);
        expect(exact).toBe(unitByUnit(tierList, sofar));
        const rounded = priceAmount(p, sofar);
        const diff = BigInt(rounded) * 10n ** 12n - exact;
        expect(diff <= 5n * 10n ** 11n && diff > -5n * 10n ** 11n).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("property: whole-unit tiers price exactly as integer arithmetic (nothing to round)", () => {
    fc.assert(
      fc.property(tierArb, fc.integer({ min: 0, max: 2000 }), (tierList, quantity) => {
        const whole = tierList.map((t) => ({ ...t, unit_amount_decimal: null, unit_amount: t.unit_amount_decimal ? 7 : t.unit_amount }));
        expect(BigInt(priceAmount(decimalTiers(whole), quantity)) * 10n ** 12n).toBe(unitByUnit(whole, quantity));
      }),
    );
  });
});

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
    expect(tierBreakdown(perUnit(5), 10)).toBeNull();
  });
});

/** tiersArb with some unit prices in sub-minor decimals ("12.000345" minor units) instead. */
const decimalArb = fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999_999 })).map(([w, f]) => `${w}.${String(f).padStart(6, "0")}`);
const decimalTiersArb: fc.Arbitrary<PriceTier[]> = fc
  .tuple(tiersArb, fc.array(fc.option(decimalArb, { nil: null }), { minLength: 5, maxLength: 5 }))
  .map(([t, decimals]) => t.map((tier, i) => (decimals[i] ? { ...tier, unit_amount: null, unit_amount_decimal: decimals[i] } : tier)));

describe("tierBreakdown properties", () => {
  it("its parts add up to exactPriceAmount, and their units to the quantity (graduated) or all of it in one part (volume)", () => {
    fc.assert(
      fc.property(fc.constantFrom("graduated" as const, "volume" as const), decimalTiersArb, fc.integer({ min: 0, max: 10_000_000 }), (mode, tiers, quantity) => {
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
