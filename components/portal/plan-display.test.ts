import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { daysLeft, intervalName, pricePerInterval, ratePercent, taxLabel, trialMessage, unitLabel } from "./plan-display";

const monthly = { interval: "month" as const, intervalCount: 1, metadata: {}, trialPeriodDays: 14 };
const aud = { unitAmount: 2900, currency: "aud" };

describe("plan display", () => {
  it("names intervals and prices the way a pricing table reads", () => {
    expect(intervalName(monthly)).toBe("Monthly");
    expect(intervalName({ interval: "year", intervalCount: 1 })).toBe("Annual");
    expect(intervalName({ interval: "month", intervalCount: 3 })).toBe("Every 3 months");
    expect(pricePerInterval(monthly, aud)).toBe("$29.00/month");
    expect(pricePerInterval({ ...monthly, metadata: { unit_label: "seat" } }, { unitAmount: 1000, currency: "aud" })).toBe("$10.00 per seat/month");
    expect(pricePerInterval({ interval: "month", intervalCount: 3, metadata: {} }, { unitAmount: 700, currency: "usd" })).toBe("US$7.00/3 months");
    expect(trialMessage(monthly, aud)).toBe("14-day free trial, then $29.00/month");
    expect(trialMessage({ ...monthly, trialPeriodDays: 0 }, aud)).toBeNull();
    expect(unitLabel({ metadata: { unit_label: "  " } })).toBeNull();
  });

  it("days left: 0 once ended, a started day counts, never more than the ceiling of the remaining time", () => {
    const now = new Date("2027-02-10T01:00:00Z");
    expect(daysLeft(now, new Date("2027-02-24T01:00:00Z"))).toBe(14);
    expect(daysLeft(now, new Date("2027-02-24T00:59:59Z"))).toBe(14);
    expect(daysLeft(now, new Date("2027-02-24T01:00:01Z"))).toBe(15);
    expect(daysLeft(now, now)).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: -1e10, max: 1e10 }), (ms) => {
        const left = daysLeft(now, new Date(now.getTime() + ms));
        if (ms <= 0) expect(left).toBe(0);
        else expect(left * 86_400_000 >= ms && (left - 1) * 86_400_000 < ms).toBe(true);
      }),
    );
  });
});

describe("tax wording", () => {
  it("shows rates exactly and names GST", () => {
    expect(["0.1", "0.15", "0.0825", "0.2", "1", "0.05"].map(ratePercent)).toEqual(["10%", "15%", "8.25%", "20%", "100%", "5%"]);
    expect(taxLabel([{ taxAmounts: [{ rate: "0.1", jurisdiction: "AU GST" }] }, { taxAmounts: [{ rate: "0.1", jurisdiction: "AU GST" }] }])).toBe("GST (10%)");
    expect(taxLabel([{ taxAmounts: [{ rate: "0.2", jurisdiction: "UK VAT" }] }, { taxAmounts: [{ rate: "0.05", jurisdiction: "UK VAT" }] }])).toBe("Tax");
  });
});
