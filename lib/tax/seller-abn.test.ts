import { describe, expect, it } from "vitest";
import { abnInTaxNumber, abnWarning } from "./seller-abn";

describe("abnInTaxNumber", () => {
  it.each([
    ["10 000 000 000", "10000000000"],
    ["51824753556", "51824753556"],
    ["", null],
    ["GB 123 4567 82", null],
    ["5182475355", null],
  ])("%j → %j", (taxNumber, expected) => {
    expect(abnInTaxNumber(taxNumber)).toBe(expected);
  });
});

describe("abnWarning: a business charging Australian GST must show a valid ABN", () => {
  it("warns when the tax number is empty or is not an ABN", () => {
    for (const taxNumber of ["", "   ", "GB123456782"]) {
      expect(abnWarning({ taxNumber, chargesAustralianGst: true })).toEqual({
        kind: "missing",
        title: "Your tax invoices show no ABN.",
        fix: "Australian tax invoices must show it. Add it in Settings → Business profile.",
      });
    }
  });

  it("warns when the ABN's check digits don't match", () => {
    expect(abnWarning({ taxNumber: "51 824 753 557", chargesAustralianGst: true })).toMatchObject({ kind: "invalid" });
  });

  it("is silent with a valid ABN (the demo's made-up one passes the check too)", () => {
    expect(abnWarning({ taxNumber: "51 824 753 556", chargesAustralianGst: true })).toBeNull();
    expect(abnWarning({ taxNumber: "10 000 000 000", chargesAustralianGst: true })).toBeNull();
  });

  it("is silent for a business that charges no Australian GST, whatever its tax number", () => {
    expect(abnWarning({ taxNumber: "", chargesAustralianGst: false })).toBeNull();
    expect(abnWarning({ taxNumber: "51 824 753 557", chargesAustralianGst: false })).toBeNull();
  });
});
