import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Address } from "@/db/schema";
import { australianGst } from "./au-gst";
import type { TaxableCustomer, TaxableLine, TaxBehavior } from "./port";

const asOf = new Date("2026-03-01T00:00:00Z");

function customer(address: Address, currency = "aud", taxExempt: TaxableCustomer["taxExempt"] = "none"): TaxableCustomer {
  return { address, currency, taxExempt };
}

const sydney = customer({ line1: "1 George St", city: "Sydney", state: "NSW", postal_code: "2000", country: "AU" });

function gstOn(amount: number, taxBehavior: TaxBehavior, who: TaxableCustomer = sydney) {
  return australianGst.calculate({ customer: who, lines: [{ amount, taxBehavior }], asOf })[0];
}

/** round(n / d) half away from zero, for non-negative integers, in BigInt so it is exact. */
function roundHalfAway(n: number, d: number): number {
  const q = BigInt(n) / BigInt(d);
  const r = BigInt(n) % BigInt(d);
  return Number(2n * r >= BigInt(d) ? q + 1n : q);
}

describe("australianGst: amounts", () => {
  it.each([
    [1000, "inclusive", 91], // 1000 / 11 = 90.9
    [1100, "inclusive", 100],
    [1000, "exclusive", 100],
    [5, "inclusive", 0], // 0.4545…
    [6, "inclusive", 1], // 0.5454… → 1
    [0, "inclusive", 0],
    [0, "exclusive", 0],
    [5, "exclusive", 1], // 0.5 → 1, half away from zero
    [4, "exclusive", 0],
    [1005, "exclusive", 101], // 100.5 → 101
    [11, "inclusive", 1],
    [16, "inclusive", 1], // 1.4545…
    [17, "inclusive", 2], // 1.5454…
  ] as const)("%i %s → %i", (amount, behavior, expected) => {
    expect(gstOn(amount, behavior)).toEqual([{ amount: expected, rate: "0.1", jurisdiction: "AU GST", inclusive: behavior === "inclusive", reverseCharge: false }]);
  });

  it("JPY (0 decimals) and KWD (3 decimals) AU customers get the same minor-unit arithmetic", () => {
    expect(gstOn(1100, "inclusive", customer({ country: "AU" }, "jpy"))?.[0]?.amount).toBe(100);
    expect(gstOn(1005, "exclusive", customer({ country: "AU" }, "kwd"))?.[0]?.amount).toBe(101);
  });
});

describe("australianGst: who pays", () => {
  it.each<[string, TaxableCustomer, boolean]>([
    ["AU address, aud", sydney, true],
    ["AU address, usd", customer({ country: "AU" }, "usd"), true],
    ["lower-case au address", customer({ country: "au" }, "usd"), true],
    ["no country, aud", customer({}, "aud"), true],
    ["null country, aud", customer({ country: null }, "aud"), true],
    ["US address, usd", customer({ line1: "1 Main St", city: "Austin", state: "TX", country: "US" }, "usd"), false],
    ["US address, aud", customer({ country: "US" }, "aud"), false],
    ["NZ address, aud", customer({ country: "NZ" }, "aud"), false],
    ["no country, usd", customer({}, "usd"), false],
    ["AU address, exempt", customer({ country: "AU" }, "aud", "exempt"), false],
    ["AU address, reverse charge", customer({ country: "AU" }, "aud", "reverse"), false],
    ["no country, aud, exempt", customer({}, "aud", "exempt"), false],
  ])("%s → GST: %s", (_name, who, charged) => {
    const lines: TaxableLine[] = [
      { amount: 1100, taxBehavior: "inclusive" },
      { amount: 1000, taxBehavior: "exclusive" },
    ];
    const result = australianGst.calculate({ customer: who, lines, asOf });
    expect(result).toHaveLength(2);
    if (charged) {
      expect(result.map((taxes) => taxes.map((t) => t.amount))).toEqual([[100], [100]]);
    } else {
      expect(result).toEqual([[], []]);
    }
  });

  it("no lines → no results", () => {
    expect(australianGst.calculate({ customer: sydney, lines: [], asOf })).toEqual([]);
  });
});

// ---- properties ----

const amountArb = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const behaviorArb = fc.constantFrom<TaxBehavior>("inclusive", "exclusive");
const customerArb: fc.Arbitrary<TaxableCustomer> = fc.record({
  address: fc.record({ country: fc.constantFrom("AU", "au", "US", "NZ", "GB", null, undefined) }),
  currency: fc.constantFrom("aud", "usd", "jpy", "kwd"),
  taxExempt: fc.constantFrom<TaxableCustomer["taxExempt"]>("none", "exempt", "reverse"),
});

describe("australianGst: properties", () => {
  it("inclusive GST = round-half-away(amount / 11), never above the exclusive GST on the same amount, and ≤ amount/10 from A$0.55 up", () => {
    fc.assert(
      fc.property(amountArb, (amount) => {
        const inclusive = gstOn(amount, "inclusive")![0]!.amount;
        const exclusive = gstOn(amount, "exclusive")![0]!.amount;
        expect(inclusive).toBe(roundHalfAway(amount, 11));
        expect(inclusive).toBeLessThanOrEqual(exclusive);
        // round(a/11) ≤ a/10 holds once a/11 + 1/2 ≤ a/10, i.e. a ≥ 55; below that rounding up can pass it (6 → 1).
        if (amount >= 55) expect(BigInt(inclusive) * 10n).toBeLessThanOrEqual(BigInt(amount));
        // the net (gross − GST) carries GST of about the same amount: within one minor unit
        const net = amount - inclusive;
        expect(Math.abs(roundHalfAway(net, 10) - inclusive)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it("exclusive GST = round-half-away(amount / 10)", () => {
    fc.assert(
      fc.property(amountArb, (amount) => {
        expect(gstOn(amount, "exclusive")![0]!.amount).toBe(roundHalfAway(amount, 10));
      }),
      { numRuns: 300 },
    );
  });

  it("one result per line, in order; every amount a safe non-negative integer", () => {
    fc.assert(
      fc.property(
        customerArb,
        fc.array(fc.record({ amount: fc.integer({ min: 0, max: 1e12 }), taxBehavior: behaviorArb }), { maxLength: 10 }),
        (who, lines) => {
          const result = australianGst.calculate({ customer: who, lines, asOf });
          expect(result).toHaveLength(lines.length);
          result.forEach((taxes, i) => {
            expect(taxes.length).toBeLessThanOrEqual(1);
            for (const t of taxes) {
              expect(Number.isSafeInteger(t.amount)).toBe(true);
              expect(t.amount).toBeGreaterThanOrEqual(0);
              expect(t.inclusive).toBe(lines[i]!.taxBehavior === "inclusive");
              // each line taxed on its own: same as calculating that line alone
              expect(t).toEqual(australianGst.calculate({ customer: who, lines: [lines[i]!], asOf })[0]![0]);
            }
          });
        },
      ),
    );
  });
});
