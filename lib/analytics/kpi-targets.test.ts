import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULT_KPI_TARGETS, kpiStatus, kpiTargetsSchema, recognitionAccuracy } from "./kpi-targets";
import { percentToRate, rateAsPercent } from "./percent";
import { monthsOf, parseRange } from "./range";

describe("kpiStatus", () => {
  it("is met at or beyond the target in its direction, missed otherwise, no data without an actual", () => {
    const success = { metric: "payment_success_rate", direction: "at_least", target: "0.99" } as const;
    const churn = { metric: "customer_churn_rate", direction: "at_most", target: "0.05" } as const;
    expect(kpiStatus("0.99", success)).toBe("met");
    expect(kpiStatus("1", success)).toBe("met");
    expect(kpiStatus("0.9899", success)).toBe("missed");
    expect(kpiStatus(null, success)).toBe("no_data");
    expect(kpiStatus("0.05", churn)).toBe("met");
    expect(kpiStatus("0.0501", churn)).toBe("missed");
    expect(kpiStatus("0", churn)).toBe("met");
    expect(kpiStatus("-0.2", { metric: "net_mrr_churn_rate", direction: "at_most", target: "0" })).toBe("met");
  });

  it("agrees with comparing the numbers (property)", () => {
    const rate = fc.integer({ min: 0, max: 99_999 }).map((u) => (u / 10_000).toFixed(4).replace(/\.?0+$/, "") || "0");
    fc.assert(
      fc.property(rate, rate, fc.constantFrom("at_least" as const, "at_most" as const), (actual, target, direction) => {
        const met = direction === "at_least" ? Number(actual) >= Number(target) : Number(actual) <= Number(target);
        expect(kpiStatus(actual, { metric: "recovery_rate", direction, target })).toBe(met ? "met" : "missed");
      }),
    );
  });
});

describe("the default targets", () => {
  it("are seed 001's four and pass their own schema", () => {
    expect(DEFAULT_KPI_TARGETS.map((t) => `${t.metric} ${t.direction} ${t.target}`)).toEqual([
      "payment_success_rate at_least 0.99",
      "customer_churn_rate at_most 0.05",
      "recovery_rate at_least 0.8",
      "recognition_accuracy at_least 1",
    ]);
    expect(kpiTargetsSchema.safeParse(DEFAULT_KPI_TARGETS).success).toBe(true);
    expect(kpiTargetsSchema.safeParse([...DEFAULT_KPI_TARGETS, DEFAULT_KPI_TARGETS[0]]).success).toBe(false);
    expect(kpiTargetsSchema.safeParse([{ metric: "recovery_rate", direction: "at_least", target: "0.12345" }]).success).toBe(false);
  });
});

describe("recognitionAccuracy", () => {
  it("is 1 when the waterfall balances, less by the share it is off, null with nothing deferred or billed", () => {
    expect(recognitionAccuracy({ deferredOpening: 1000, billed: 3000, recognized: 2500, deferredClosing: 1500 })).toBe("1");
    expect(recognitionAccuracy({ deferredOpening: 1000, billed: 3000, recognized: 2500, deferredClosing: 1460 })).toBe("0.99");
    expect(recognitionAccuracy({ deferredOpening: 0, billed: 0, recognized: 0, deferredClosing: 0 })).toBeNull();
  });
});

describe("per cent and rates", () => {
  it("convert exactly both ways", () => {
    expect(percentToRate("99")).toBe("0.99");
    expect(percentToRate("99.5 %")).toBe("0.995");
    expect(percentToRate("100")).toBe("1");
    expect(percentToRate("0.05")).toBe("0.0005");
    expect(percentToRate("abc")).toBeNull();
    expect(percentToRate("1.234")).toBeNull();
    expect(rateAsPercent("0.995")).toBe("99.5%");
    expect(rateAsPercent("1")).toBe("100%");
    expect(rateAsPercent("-0.0525")).toBe("−5.25%");
    expect(rateAsPercent(null)).toBe("—");
    fc.assert(fc.property(fc.integer({ min: 0, max: 999_999 }), (hundredths) => {
      const text = `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, "0")}`;
      expect(rateAsPercent(percentToRate(text))).toBe(`${text.replace(/\.?0+$/, "")}%`.replace(/^%$/, "0%"));
    }));
  });
});

describe("parseRange", () => {
  const now = new Date("2026-12-05T10:00:00Z");
  it("counts presets back from today (UTC) and takes a custom from/to", () => {
    expect(parseRange({ range: "30d" }, now)).toEqual({ preset: "30d", from: "2026-11-06", to: "2026-12-05", interval: "day" });
    expect(parseRange({ range: "90d" }, now)).toMatchObject({ from: "2026-09-07", interval: "day" });
    expect(parseRange({}, now)).toEqual({ preset: "12m", from: "2026-01-01", to: "2026-12-05", interval: "month" });
    expect(parseRange({ range: "24m" }, now)).toMatchObject({ from: "2025-01-01", interval: "month" });
    expect(parseRange({ range: "custom", from: "2026-03-01", to: "2026-03-31" }, now)).toEqual({ preset: "custom", from: "2026-03-01", to: "2026-03-31", interval: "day" });
    expect(parseRange({ range: "custom", from: "2026-03-31", to: "2026-03-01" }, now)).toHaveProperty("error");
    expect(parseRange({ range: "custom", from: "2026-02-30", to: "2026-03-01" }, now)).toHaveProperty("error");
    expect(parseRange({ range: "custom", from: "2026-03-01", to: "2027-01-01" }, now)).toHaveProperty("error");
  });
  it("lists the months a range touches with the day each is read", () => {
    expect(monthsOf("2026-10-15", "2026-12-05")).toEqual([
      { month: "2026-10", date: "2026-10-31" },
      { month: "2026-11", date: "2026-11-30" },
      { month: "2026-12", date: "2026-12-05" },
    ]);
  });
});
