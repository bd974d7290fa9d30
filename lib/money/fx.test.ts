import { describe, expect, it } from "vitest";
import { addDecimal, formatDecimal, parseDecimal, roundDecimal } from "./exact-decimal";
import { convertExact } from "./fx";

describe("exact decimals", () => {
  it("add without losing digits and round once, half away from zero", () => {
    const sum = ["0.000015", "0.000015", "1.5", "0.0000000000000001"].map((s) => parseDecimal(s)).reduce(addDecimal);
    expect(formatDecimal(sum)).toBe("1.5000300000000001");
    expect(roundDecimal(parseDecimal("2.5"))).toBe(3);
    expect(roundDecimal(parseDecimal("-2.5"))).toBe(-3);
    expect(roundDecimal(parseDecimal("2.4999999999999999999"))).toBe(2);
    expect(formatDecimal(parseDecimal("0.000"))).toBe("0");
  });
});

describe("convertExact", () => {
  const usdAud = { base: "usd", quote: "aud", rate: "1.5312" };
  it("multiplies by a direct quote exactly", () => {
    expect(formatDecimal(convertExact(parseDecimal("100.000015"), "usd", "aud", usdAud))).toBe("153.120022968");
  });
  it("divides by an inverse quote", () => {
    expect(formatDecimal(convertExact(parseDecimal("153.12"), "aud", "usd", usdAud))).toBe("100");
  });
  it("moves between currencies with other exponents", () => {
    expect(formatDecimal(convertExact(parseDecimal("100"), "usd", "jpy", { base: "usd", quote: "jpy", rate: "150.25" }))).toBe("150.25");
    expect(formatDecimal(convertExact(parseDecimal("15025"), "jpy", "usd", { base: "usd", quote: "jpy", rate: "150.25" }))).toBe("10000");
  });
  it("leaves the same currency alone", () => {
    expect(formatDecimal(convertExact(parseDecimal("1.25"), "aud", "AUD", usdAud))).toBe("1.25");
  });
});
