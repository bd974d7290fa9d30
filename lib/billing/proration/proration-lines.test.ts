import { describe, expect, it } from "vitest";
import type { SubscriptionItemTerms } from "../types";
import { prorationLines } from "./proration-lines";

const item = (priceId: string, amount: number): SubscriptionItemTerms => ({
  quantity: 1,
  plan: { id: `plan_${priceId}`, name: priceId, interval: { unit: "month", count: 1 }, trialPeriodDays: 0 },
  price: { id: priceId, currency: "aud", taxBehavior: "inclusive", billingScheme: "per_unit", unitAmount: amount, tiersMode: null, tiers: null, packageSize: null },
});

describe("proration lines", () => {
  it("a credit that rounds to nothing is 0, never −0 (the database stores 0, so a preview compared with what was stored must say 0)", () => {
    const period = { start: new Date("2027-01-01T00:00:00Z"), end: new Date("2027-02-01T00:00:00Z") };
    // One minute before the end of a 31-day period: A$1.00 × 60 / 2,678,400 s rounds to 0.
    const lines = prorationLines([item("small", 100)], [item("other", 100)], period, new Date("2027-01-31T23:59:00Z"), "UTC");
    expect(lines.map((l) => l.amount)).toEqual([0, 0]);
    expect(lines.every((l) => !Object.is(l.amount, -0))).toBe(true);
  });
});
