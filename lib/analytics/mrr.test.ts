import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyMovement, lineMonthlyRate, movementsOf, subscriptionMrrOn, type RecurringLine, type StatusChange } from "./mrr";

const month = { unit: "month" as const, count: 1 };
const line = (over: Partial<RecurringLine>): RecurringLine => ({
  amount: 1000,
  discountAmount: 0,
  inclusiveTax: 0,
  quantity: 1,
  unitAmount: 1000,
  proration: false,
  interval: month,
  periodStart: new Date("2027-01-01T00:00:00Z"),
  periodEnd: new Date("2027-02-01T00:00:00Z"),
  ...over,
});

describe("lineMonthlyRate: net of tax and discounts, per month, rounded once half away from zero", () => {
  it.each([
    ["monthly, exclusive tax", line({}), 1000],
    ["GST-inclusive A$11.00: 1100 − 100", line({ amount: 1100, unitAmount: 1100, inclusiveTax: 100 }), 1000],
    ["25 % coupon on 2000", line({ amount: 2000, unitAmount: 2000, discountAmount: 500 }), 1500],
    ["annual 12000 incl. 1091 GST: 10909 / 12 = 909.08", line({ amount: 12000, unitAmount: 12000, inclusiveTax: 1091, interval: { unit: "year", count: 1 } }), 909],
    ["annual 6 → 0.5 rounds away from zero", line({ amount: 6, unitAmount: 6, interval: { unit: "year", count: 1 } }), 1],
    ["quarterly 3000", line({ amount: 3000, unitAmount: 3000, interval: { unit: "month", count: 3 } }), 1000],
    ["weekly 700: × 52 / 12 = 3033.3", line({ amount: 700, unitAmount: 700, interval: { unit: "week", count: 1 } }), 3033],
    ["daily 100: × 365 / 12 = 3041.7", line({ amount: 100, unitAmount: 100, interval: { unit: "day", count: 1 } }), 3042],
    ["proration charge: the whole price from its start", line({ amount: 1428, unitAmount: 2900, proration: true }), 2900],
    ["proration credit: the whole price off", line({ amount: -492, unitAmount: 1000, proration: true }), -1000],
    ["proration of 2 seats, 10 % off", line({ amount: 600, discountAmount: 60, quantity: 2, unitAmount: 1000, proration: true }), 1800],
    ["a trial's zero line", line({ amount: 0, unitAmount: 1000 }), 0],
  ])("%s", (_name, l, expected) => expect(lineMonthlyRate(l)).toBe(expected));

  it("a proration that says nothing: zero amount, or a tiered price", () => {
    expect(lineMonthlyRate(line({ amount: 0, proration: true }))).toBeNull();
    expect(lineMonthlyRate(line({ amount: 500, unitAmount: null, proration: true }))).toBeNull();
  });
});

describe("subscriptionMrrOn: the state at the UTC day's last instant", () => {
  const at = (iso: string) => new Date(iso);
  const lines = [
    { rate: 1000, periodStart: at("2027-01-01T10:00:00Z"), periodEnd: at("2027-02-01T10:00:00Z") },
    { rate: 3000, periodStart: at("2027-02-01T10:00:00Z"), periodEnd: at("2027-03-01T10:00:00Z") },
  ];
  const active: StatusChange[] = [{ at: at("2027-01-01T10:00:00Z"), status: "active" }];
  it.each([
    ["2026-12-31", 0],
    ["2027-01-01", 1000],
    ["2027-01-31", 1000],
    ["2027-02-01", 3000],
    ["2027-03-01", 3000],
    ["2027-09-01", 3000],
  ])("%s → %i (the latest period runs on until the status ends it)", (day, mrr) => expect(subscriptionMrrOn(lines, active, day)).toBe(mrr));

  it.each([
    ["trialing", 0],
    ["paused", 0],
    ["canceled", 0],
    ["unpaid", 0],
    ["incomplete", 0],
    ["past_due", 3000],
  ] as const)("%s counts %i", (status, mrr) => {
    expect(subscriptionMrrOn(lines, [...active, { at: at("2027-02-10T23:59:59Z"), status }], "2027-02-10")).toBe(mrr);
    expect(subscriptionMrrOn(lines, [...active, { at: at("2027-02-11T00:00:00Z"), status }], "2027-02-10")).toBe(3000);
  });
});

describe("classifyMovement", () => {
  it.each([
    [0, 1000, false, "new"],
    [0, 1000, true, "reactivation"],
    [1000, 3000, true, "expansion"],
    [3000, 1000, true, "contraction"],
    [1000, 0, true, "churn"],
    [1000, 1000, true, null],
    [0, 0, true, null],
  ] as const)("%i → %i (before: %s) is %s", (prev, next, ever, kind) => expect(classifyMovement(prev, next, ever)).toBe(kind));
});

describe("property: movements summed from zero give every day's MRR", () => {
  const days = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10));
  it("for any daily series of MRR", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100_000 })), { minLength: 1, maxLength: days.length }), (values) => {
        const daily = new Map(values.map((v, i) => [days[i]!, v]));
        const moves = movementsOf(daily);
        let mrr = 0;
        let ever = false;
        for (const [i, day] of [...daily.keys()].entries()) {
          const move = moves.find((m) => m.day === day);
          mrr += move?.delta ?? 0;
          expect(mrr).toBe(values[i]);
          if (move) expect(move.mrr).toBe(values[i]);
          // new only once, reactivation only after MRR above zero before, churn only to zero
          if (move?.kind === "new") expect(ever).toBe(false);
          if (move?.kind === "reactivation") expect(ever).toBe(true);
          if (move?.kind === "churn") expect(values[i]).toBe(0);
          if (values[i]! > 0) ever = true;
        }
      }),
      { numRuns: 300 },
    );
  });
});
