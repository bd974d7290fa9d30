import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decisionFromCalculation } from "@/lib/payments/stripe/tax-calculation";
import { defaultTaxSettings, taxEngine } from "./engine";
import type { TaxableCustomer } from "./port";
import { taxPlaceKey, type ProvidedTax } from "./provided";

const AT = new Date("2026-12-01T00:00:00Z");
const seattle: TaxableCustomer = { address: { country: "US", state: "WA", postal_code: "98101" }, taxExempt: "none", currency: "usd", taxIds: [] };
const stripeSays = (customer: TaxableCustomer, percentage: string): ProvidedTax => ({
  provider: "stripe_tax",
  place: taxPlaceKey(customer),
  decidedAt: AT.toISOString(),
  decision: { kind: "charge", country: "US", region: "WA", taxKind: "sales_tax", percentage },
});
const tax = (customer: TaxableCustomer, provider: "tally" | "stripe_tax") =>
  taxEngine({ ...defaultTaxSettings("AU"), provider }).calculate({ customer, lines: [{ amount: 10_000, taxBehavior: "exclusive" }], asOf: AT })[0];

describe("a tax provider's decision in the engine", () => {
  it("is used only with Stripe Tax chosen and only for the place it was asked about", () => {
    const customer = { ...seattle, providedTax: stripeSays(seattle, "10.1") };
    expect(tax(customer, "stripe_tax")).toEqual([{ amount: 1010, rate: "0.101", jurisdiction: "US sales tax (WA)", inclusive: false, reverseCharge: false }]);
    expect(tax(customer, "tally")).toEqual([]);
    const moved = { ...customer, address: { ...customer.address, state: "TX" } };
    expect(tax(moved, "stripe_tax")).toEqual([]);
  });

  it("a place key changes with every fact the decision depends on, and not with spelling", () => {
    fc.assert(
      fc.property(fc.constantFrom("country", "state", "postal_code", "city", "line1"), fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s.trim() !== ""), (field, value) => {
        const changed = { ...seattle, address: { ...seattle.address, [field]: `${seattle.address[field as keyof typeof seattle.address] ?? ""}${value}` } };
        expect(taxPlaceKey(changed)).not.toBe(taxPlaceKey(seattle));
      }),
    );
    expect(taxPlaceKey({ ...seattle, address: { country: " us", state: "wa ", postal_code: "98101" } })).toBe(taxPlaceKey(seattle));
    expect(taxPlaceKey({ ...seattle, taxExempt: "exempt" })).not.toBe(taxPlaceKey(seattle));
    expect(taxPlaceKey({ ...seattle, taxIds: [{ type: "us_ein", value: "12-3456789" }] })).not.toBe(taxPlaceKey(seattle));
  });
});

describe("Stripe's calculation read as a decision", () => {
  const entry = (amount: number, pct: string, reason: string, type = "sales_tax", state: string | null = "WA") => ({
    amount,
    inclusive: false,
    taxability_reason: reason,
    taxable_amount: 100_000,
    tax_rate_details: { country: "US", flat_amount: null, percentage_decimal: pct, rate_type: "percentage", state, tax_type: type },
  });
  it("sums the charged jurisdictions, names a reverse charge, and keeps Stripe's reason for no tax", () => {
    expect(decisionFromCalculation({ tax_breakdown: [entry(6500, "6.5", "standard_rated"), entry(3600, "3.6", "standard_rated")] } as never, "US")).toEqual({ kind: "charge", country: "US", region: "WA", taxKind: "sales_tax", percentage: "10.1" });
    expect(decisionFromCalculation({ tax_breakdown: [{ ...entry(0, "0.0", "reverse_charge", "vat", null), tax_rate_details: { ...entry(0, "0", "x").tax_rate_details, country: "DE", state: null } }] } as never, "DE")).toEqual({ kind: "reverse_charge", country: "DE" });
    expect(decisionFromCalculation({ tax_breakdown: [entry(0, "0.0", "not_collecting")] } as never, "US")).toEqual({ kind: "none", reason: "Stripe Tax: the business does not collect tax here (no registration in Stripe)." });
    expect(decisionFromCalculation({ tax_breakdown: [entry(1300, "13.0", "standard_rated", "hst", "ON")] } as never, "CA").kind).toBe("charge");
  });
});
