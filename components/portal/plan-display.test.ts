import { describe, expect, it } from "vitest";
import { intervalName, pricePerInterval, ratePercent, taxLabel, trialMessage, unitLabel } from "./plan-display";
import { formatterFor } from "@/lib/format";

const fmt = formatterFor({ locale: "en-AU" });

const monthly = { interval: "month" as const, intervalCount: 1, metadata: {}, trialPeriodDays: 14 };
const aud = { unitAmount: 2900, currency: "aud" };

describe("plan display", () => {
  it("names intervals and prices the way a pricing table reads", () => {
    expect(intervalName(monthly)).toBe("Monthly");
    expect(intervalName({ interval: "year", intervalCount: 1 })).toBe("Annual");
    expect(intervalName({ interval: "month", intervalCount: 3 })).toBe("Every 3 months");
    expect(pricePerInterval(monthly, aud, fmt)).toBe("$29.00/month");
    expect(pricePerInterval({ ...monthly, metadata: { unit_label: "seat" } }, { unitAmount: 1000, currency: "aud" }, fmt)).toBe("$10.00 per seat/month");
    expect(pricePerInterval({ interval: "month", intervalCount: 3, metadata: {} }, { unitAmount: 700, currency: "usd" }, fmt)).toBe("US$7.00/3 months");
    expect(trialMessage(monthly, aud, fmt)).toBe("14-day free trial, then $29.00/month");
    expect(trialMessage({ ...monthly, trialPeriodDays: 0 }, aud, fmt)).toBeNull();
    expect(unitLabel({ metadata: { unit_label: "  " } })).toBeNull();
  });
});

describe("tax wording", () => {
  it("shows rates exactly and names GST", () => {
    expect(["0.1", "0.15", "0.0825", "0.2", "1", "0.05"].map(ratePercent)).toEqual(["10%", "15%", "8.25%", "20%", "100%", "5%"]);
    expect(taxLabel([{ taxAmounts: [{ rate: "0.1", jurisdiction: "AU GST" }] }, { taxAmounts: [{ rate: "0.1", jurisdiction: "AU GST" }] }])).toBe("GST (10%)");
    expect(taxLabel([{ taxAmounts: [{ rate: "0.2", jurisdiction: "UK VAT" }] }, { taxAmounts: [{ rate: "0.05", jurisdiction: "UK VAT" }] }])).toBe("Tax");
  });
});
