import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeCoupon, formatPercent } from "./describe-discount";
import { formatterFor } from "@/lib/format";

const fmt = formatterFor({ locale: "en-AU" });

const month = { unit: "month" as const, count: 1 };

describe("describeCoupon", () => {
  it.each([
    [{ percentOffBps: 2500, amountOff: null, currency: null, duration: "repeating" as const, durationInPeriods: 3 }, month, "25% off for 3 months"],
    [{ percentOffBps: 1000, amountOff: null, currency: null, duration: "repeating" as const, durationInPeriods: 1 }, month, "10% off for 1 month"],
    [{ percentOffBps: 1250, amountOff: null, currency: null, duration: "forever" as const, durationInPeriods: null }, month, "12.5% off forever"],
    [{ percentOffBps: null, amountOff: 500, currency: "aud", duration: "once" as const, durationInPeriods: null }, month, "$5.00 off the first invoice"],
    [{ percentOffBps: 5000, amountOff: null, currency: null, duration: "repeating" as const, durationInPeriods: 2 }, { unit: "year" as const, count: 1 }, "50% off for 2 years"],
    [{ percentOffBps: 5000, amountOff: null, currency: null, duration: "repeating" as const, durationInPeriods: 2 }, { unit: "month" as const, count: 3 }, "50% off for 6 months"],
  ])("%j per %j → %s", (coupon, interval, expected) => {
    expect(describeCoupon(coupon, interval, fmt)).toBe(expected);
  });
});

describe("formatPercent", () => {
  it("shows basis points exactly: reading the text back gives the same basis points", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (bps) => {
        const text = formatPercent(bps);
        expect(text).toMatch(/^\d+(\.\d{1,2})?%$/);
        const [whole, fraction = ""] = text.slice(0, -1).split(".");
        expect(Number(whole) * 100 + Number(fraction.padEnd(2, "0"))).toBe(bps);
      }),
    );
  });
});
