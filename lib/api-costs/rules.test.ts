import { describe, expect, it } from "vitest";
import { formatDecimal } from "@/lib/money";
import { costDecimal, costTiming, exactCost, markupBps, rateInForce, rebillIdentifier, rebillValue } from "./rules";

const rate = (id: string, operation: string, region: string | null, from: string) => ({ id, operation, region, effectiveFrom: new Date(from) });

describe("rateInForce", () => {
  const rates = [rate("a", "lookup", null, "2026-01-01T00:00:00Z"), rate("b", "lookup", null, "2026-06-15T00:00:00Z"), rate("c", "lookup", "AU", "2026-03-01T00:00:00Z"), rate("d", "geocode", null, "2026-01-01T00:00:00Z")];
  it("takes the latest rate at or before the time", () => {
    expect(rateInForce(rates, { operation: "lookup", region: null, at: new Date("2026-06-14T23:59:59Z") })?.id).toBe("a");
    expect(rateInForce(rates, { operation: "lookup", region: null, at: new Date("2026-06-15T00:00:00Z") })?.id).toBe("b");
  });
  it("prefers the region's rate and falls back to the provider-wide one", () => {
    expect(rateInForce(rates, { operation: "lookup", region: "AU", at: new Date("2026-07-01Z") })?.id).toBe("c");
    expect(rateInForce(rates, { operation: "lookup", region: "AU", at: new Date("2026-02-01Z") })?.id).toBe("a");
    expect(rateInForce(rates, { operation: "lookup", region: "US", at: new Date("2026-07-01Z") })?.id).toBe("b");
  });
  it("has none before the first rate or for another operation", () => {
    expect(rateInForce(rates, { operation: "lookup", region: null, at: new Date("2025-12-31Z") })).toBeNull();
    expect(rateInForce(rates, { operation: "verify", region: null, at: new Date("2026-07-01Z") })).toBeNull();
  });
});

describe("costTiming and costDecimal", () => {
  const now = new Date("2026-12-03T12:00:00Z");
  it("accepts the late window, marks an earlier month late, refuses the rest", () => {
    expect(costTiming({ timestamp: new Date("2026-12-01T00:00:00Z"), now, lateWindowDays: 7 })).toEqual({ late: false });
    expect(costTiming({ timestamp: new Date("2026-11-30T23:00:00Z"), now, lateWindowDays: 7 })).toEqual({ late: true });
    expect(costTiming({ timestamp: new Date("2026-11-25T00:00:00Z"), now, lateWindowDays: 7 })).toMatchObject({ refused: { code: "usage_event_too_old" } });
    expect(costTiming({ timestamp: new Date("2026-12-03T12:06:00Z"), now, lateWindowDays: 7 })).toMatchObject({ refused: { code: "usage_event_in_future" } });
  });
  it("reads decimals", () => {
    expect(costDecimal("0.000015")).toBe("0.000015");
    expect(costDecimal(1200)).toBe("1200");
    expect(costDecimal("-1")).toBeNull();
    expect(costDecimal("1e3")).toBeNull();
    expect(costDecimal(1e-7)).toBeNull();
  });
});

describe("rebilling", () => {
  it("values a cost exactly: given, or units × the rate's unit cost, times 1 + the markup", () => {
    expect(formatDecimal(exactCost({ given: "40.4", units: "1", unitCostDecimal: null }))).toBe("40.4");
    expect(formatDecimal(exactCost({ given: null, units: "123457", unitCostDecimal: "0.0015" }))).toBe("185.1855");
    expect(formatDecimal(rebillValue(exactCost({ given: null, units: "123457", unitCostDecimal: "0.0015" }), 2000))).toBe("222.2226");
    expect(formatDecimal(rebillValue({ units: 15n, scale: 6 }, 0))).toBe("0.000015");
    expect(formatDecimal(rebillValue({ units: 1n, scale: 0 }, 1250))).toBe("1.125");
  });
  it("takes markups of whole basis points only", () => {
    expect([markupBps(0), markupBps(12.5), markupBps(0.07), markupBps(100), markupBps(12.345), markupBps(-1)]).toEqual([0, 1250, 7, 10_000, null, null]);
  });
  it("namespaces the usage identifier", () => {
    expect(rebillIdentifier("req-1")).toBe("api_cost:req-1");
  });
});
