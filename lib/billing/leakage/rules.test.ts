import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LEAKAGE_RULES, cardExpiresAt, couponPeriodLimit, leakageRuleCatalog, snapshotDay, totalsByRule, type LeakageItem } from "./rules";

const item = (rule: LeakageItem["rule"], currency: string, amount: number): LeakageItem => ({
  rule,
  customerId: "cus_1",
  subscriptionId: null,
  invoiceId: null,
  paymentId: null,
  currency,
  amount,
  detail: "",
});

describe("leakage rules", () => {
  it("every rule has a title, a description and says what its amount is", () => {
    for (const rule of LEAKAGE_RULES) {
      expect(leakageRuleCatalog[rule].title.length).toBeGreaterThan(0);
      expect(leakageRuleCatalog[rule].description.length).toBeGreaterThan(0);
      expect(leakageRuleCatalog[rule].amount.length).toBeGreaterThan(0);
    }
  });

  it("totals list every rule in order, zero when nothing was found, amounts per currency", () => {
    const totals = totalsByRule([item("past_due_no_retry", "usd", 500), item("past_due_no_retry", "aud", 1000), item("past_due_no_retry", "usd", 250), item("usage_not_billed", "eur", 0)]);
    expect(totals.map((t) => t.rule)).toEqual([...LEAKAGE_RULES]);
    expect(totals.find((t) => t.rule === "past_due_no_retry")).toEqual({ rule: "past_due_no_retry", count: 3, amounts: [{ currency: "aud", amount: 1000 }, { currency: "usd", amount: 750 }] });
    expect(totals.find((t) => t.rule === "usage_not_billed")).toEqual({ rule: "usage_not_billed", count: 1, amounts: [{ currency: "eur", amount: 0 }] });
    expect(totals.find((t) => t.rule === "period_not_invoiced")).toEqual({ rule: "period_not_invoiced", count: 0, amounts: [] });
  });

  it("totals keep every item and every minor unit", () => {
    const arbitraryItem = fc.record({
      rule: fc.constantFrom(...LEAKAGE_RULES),
      currency: fc.constantFrom("aud", "usd", "jpy"),
      amount: fc.integer({ min: 0, max: 10_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(arbitraryItem, { maxLength: 40 }), (raw) => {
        const items = raw.map((r) => item(r.rule, r.currency, r.amount));
        const totals = totalsByRule(items);
        expect(totals.reduce((s, t) => s + t.count, 0)).toBe(items.length);
        expect(totals.flatMap((t) => t.amounts).reduce((s, a) => s + a.amount, 0)).toBe(items.reduce((s, i) => s + i.amount, 0));
      }),
    );
  });

  it.each([
    [2027, 1, "2027-02-01T00:00:00.000Z"],
    [2027, 2, "2027-03-01T00:00:00.000Z"],
    [2026, 12, "2027-01-01T00:00:00.000Z"],
  ])("a card expiring %i-%i works through its month's last day, until %s", (year, month, until) => {
    expect(cardExpiresAt(year, month).toISOString()).toBe(until);
  });

  it("a coupon discounts once, n periods, or forever", () => {
    expect(couponPeriodLimit("once", null)).toBe(1);
    expect(couponPeriodLimit("repeating", 3)).toBe(3);
    expect(couponPeriodLimit("forever", null)).toBeNull();
  });

  it("a run belongs to its UTC day", () => {
    expect(snapshotDay(new Date("2027-03-31T23:59:59.999Z"))).toBe("2027-03-31");
    expect(snapshotDay(new Date("2027-04-01T00:00:00.000Z"))).toBe("2027-04-01");
  });
});
