import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./return-path";

describe("safeReturnPath", () => {
  it.each([
    ["/invoices/in_123", "/invoices/in_123"],
    ["/subscription/cancel?step=2", "/subscription/cancel?step=2"],
    ["/", "/"],
  ])("keeps %s", (input, output) => {
    expect(safeReturnPath(input)).toBe(output);
  });

  it.each(["https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil", "javascript:alert(1)", "/javascript:alert(1)", "invoices", "", "/a b", "/" + "x".repeat(400)])(
    "refuses %s",
    (input) => {
      expect(safeReturnPath(input)).toBe("/payment-methods");
    },
  );

  it("takes the first of repeated parameters and falls back when absent", () => {
    expect(safeReturnPath(["/invoices", "https://evil.example"])).toBe("/invoices");
    expect(safeReturnPath(undefined, "/")).toBe("/");
  });
});
