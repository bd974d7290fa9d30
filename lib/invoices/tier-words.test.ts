import { describe, expect, it } from "vitest";
import type { PriceTerms } from "@/lib/billing/types";
import { formatUnitAmount } from "@/lib/format/money";
import { tierBreakdownWords } from "./tier-words";
import { formatterFor } from "@/lib/format";

const fmt = formatterFor({ locale: "en-AU" });

const apiCalls: PriceTerms = {
  id: "price_test",
  currency: "aud",
  taxBehavior: "inclusive",
  billingScheme: "tiered",
  unitAmount: null,
  tiersMode: "graduated",
  tiers: [
    { up_to: 1000, unit_amount: 0, flat_amount: null },
    { up_to: null, unit_amount: null, unit_amount_decimal: "0.2", flat_amount: 100 },
  ],
  packageSize: null,
};

describe("tierBreakdownWords", () => {
  it("reads each tier's units and unit price, sub-minor prices with their own decimals", () => {
    expect(tierBreakdownWords(apiCalls, 1500, fmt)).toBe("1,000 × $0.00 + 500 × $0.002 + $1.00 flat");
    expect(tierBreakdownWords(apiCalls, 20, fmt)).toBe("20 × $0.00");
  });

  it("says nothing for no usage or a price without tiers", () => {
    expect(tierBreakdownWords(apiCalls, 0, fmt)).toBeNull();
    expect(tierBreakdownWords({ ...apiCalls, billingScheme: "per_unit", tiersMode: null, tiers: null, unitAmount: 10 }, 5, fmt)).toBeNull();
  });
});

describe("formatUnitAmount", () => {
  it("keeps every decimal a unit price has and at least the currency's", () => {
    expect(formatUnitAmount(200_000_000_000n, "aud", "en-AU")).toBe("$0.002");
    expect(formatUnitAmount(250n * 10n ** 12n, "aud", "en-AU")).toBe("$2.50");
    expect(formatUnitAmount(15n * 10n ** 10n, "usd", "en-AU")).toBe("US$0.0015");
    expect(formatUnitAmount(5n * 10n ** 11n, "jpy", "en-AU")).toBe("JP¥0.5");
    expect(formatUnitAmount(0n, "aud", "en-AU")).toBe("$0.00");
  });
});
