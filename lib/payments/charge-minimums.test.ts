import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import published from "./charge-minimums.json";
import { AmountTooSmallError, currenciesWithMinimum, isBelowMinimumCharge, MAXIMUM_CHARGE_MINOR_UNITS, minimumChargeAmount } from "./charge-minimums";

/** The shared copy of Stripe's published minimums (stripe-openapi/charge-minimums.json beside the checkout, or STRIPE_OPENAPI_DIR). */
const SHARED = path.join(process.env.STRIPE_OPENAPI_DIR ?? path.resolve(__dirname, "../../../shared/stripe-openapi"), "charge-minimums.json");

describe("Stripe's minimum charge amounts", () => {
  it("are exactly the shared charge-minimums.json", () => {
    expect(existsSync(SHARED), `${SHARED} is missing: set STRIPE_OPENAPI_DIR to the stripe-openapi folder`).toBe(true);
    const shared = JSON.parse(readFileSync(SHARED, "utf8")) as typeof published;
    expect(published).toEqual(shared);
    expect(Object.fromEntries(currenciesWithMinimum().map((c) => [c, minimumChargeAmount(c)]))).toEqual(shared.minimum_minor_units);
    expect(MAXIMUM_CHARGE_MINOR_UNITS).toBe(shared.maximum_minor_units);
  });

  it.each([
    ["aud", 50],
    ["AUD", 50],
    ["gbp", 30],
    ["jpy", 50],
    ["hkd", 400],
    ["mxn", 1000],
  ])("%s: %i minor units", (currency, minimum) => {
    expect(minimumChargeAmount(currency)).toBe(minimum);
    expect(isBelowMinimumCharge(minimum - 1, currency)).toBe(true);
    expect(isBelowMinimumCharge(1, currency)).toBe(true);
    expect(isBelowMinimumCharge(minimum, currency)).toBe(false);
    // Nothing owed is not "below the minimum": there is nothing to charge or carry.
    expect(isBelowMinimumCharge(0, currency)).toBe(false);
  });

  it("a currency Stripe publishes no minimum for has none", () => {
    expect(minimumChargeAmount("kwd")).toBeNull();
    expect(isBelowMinimumCharge(1, "kwd")).toBe(false);
  });

  it("refuses like Stripe: 400 invalid_request_error amount_too_small on amount", () => {
    const e = new AmountTooSmallError("aud");
    expect(e).toMatchObject({ type: "StripeInvalidRequestError", rawType: "invalid_request_error", code: "amount_too_small", param: "amount", statusCode: 400 });
    expect(e.message).toBe("Amount must be at least $0.50 aud");
  });
});
