import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DraftLine, TaxAmount } from "../types";
import { computeTotals } from "./totals";

function line(amount: number, taxAmounts: TaxAmount[] = [], discountAmount = 0): DraftLine {
  return {
    description: "line",
    amount,
    quantity: 1,
    unitAmount: amount,
    periodStart: null,
    periodEnd: null,
    proration: false,
    priceId: null,
    discountAmount,
    taxAmounts,
  };
}

const gst = (amount: number, inclusive: boolean): TaxAmount => ({ amount, rate: "0.1", jurisdiction: "AU GST", inclusive });

describe("computeTotals: examples", () => {
  it("no lines → all zero", () => {
    expect(computeTotals([], 500)).toEqual({ subtotal: 0, discountTotal: 0, tax: 0, total: 0, creditApplied: 0, debitApplied: 0, amountDue: 0, excessCredit: 0 });
  });

  it("inclusive tax is reported but not added", () => {
    expect(computeTotals([line(1000, [gst(91, true)])], 0)).toEqual({
      subtotal: 1000,
      discountTotal: 0,
      tax: 91,
      total: 1000,
      creditApplied: 0,
      debitApplied: 0,
      amountDue: 1000,
      excessCredit: 0,
    });
  });

  it("exclusive tax is added on top", () => {
    expect(computeTotals([line(1000, [gst(100, false)])], 0)).toMatchObject({ subtotal: 1000, tax: 100, total: 1100, amountDue: 1100 });
  });

  it("mixed inclusive and exclusive lines with a discount and partial credit", () => {
    const totals = computeTotals([line(1100, [gst(100, true)], 100), line(2000, [gst(200, false)], 0)], 250);
    expect(totals).toEqual({ subtotal: 3100, discountTotal: 100, tax: 300, total: 3200, creditApplied: 250, debitApplied: 0, amountDue: 2950, excessCredit: 0 });
  });

  it("R14: credit larger than the total → total unchanged, amount due 0, excess not consumed", () => {
    const totals = computeTotals([line(1000, [gst(91, true)])], 5000);
    expect(totals.total).toBe(1000);
    expect(totals.creditApplied).toBe(1000);
    expect(totals.amountDue).toBe(0);
    expect(5000 - totals.creditApplied).toBe(4000); // left on the customer's balance
  });

  it("R14: discounts larger than the subtotal → total 0, no credit consumed", () => {
    const totals = computeTotals([line(500, [], 800)], 300);
    expect(totals).toMatchObject({ subtotal: 500, discountTotal: 800, total: 0, creditApplied: 0, amountDue: 0, excessCredit: 0 });
  });

  it("a debit balance (amounts carried below the minimum charge) is collected: added to the amount due, never taxed or discounted", () => {
    expect(computeTotals([line(1000, [gst(91, true)])], -200)).toMatchObject({ total: 1000, tax: 91, creditApplied: 0, debitApplied: 200, amountDue: 1200 });
    // Even on an invoice that is otherwise nothing: the debit is still owed.
    expect(computeTotals([line(500, [], 500)], -30)).toMatchObject({ total: 0, debitApplied: 30, amountDue: 30 });
  });

  it("JPY and KWD amounts are the same integers (R13)", () => {
    // ¥1,100 incl. ¥100 GST-like tax, and 1.100 KWD excl. 0.110 tax: minor units throughout.
    expect(computeTotals([line(1100, [gst(100, true)])], 0)).toMatchObject({ total: 1100, tax: 100 });
    expect(computeTotals([line(1100, [gst(110, false)])], 0)).toMatchObject({ total: 1210, tax: 110 });
  });
});

// ---- properties ----

const lineArb: fc.Arbitrary<DraftLine> = fc
  .record({
    amount: fc.integer({ min: 0, max: 10_000_000 }),
    discountShare: fc.double({ min: 0, max: 1, noNaN: true }),
    taxes: fc.array(fc.record({ share: fc.integer({ min: 0, max: 30 }), inclusive: fc.boolean() }), { maxLength: 3 }),
  })
  .map(({ amount, discountShare, taxes }) => {
    // discount ≤ amount; tax amounts are integers up to 30 % of the line
    const discount = Math.min(amount, Math.floor(amount * discountShare));
    return line(
      amount,
      taxes.map((t) => gst(Math.floor(((amount - discount) * t.share) / 100), t.inclusive)),
      discount,
    );
  });

const creditArb = fc.oneof(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: -1000, max: 0 }), fc.constant(0));

describe("computeTotals: invariant properties", () => {
  it("total = max(0, subtotal − discounts + exclusive tax); amount_due = total − credit_applied + debit_applied; all integers", () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 8 }), creditArb, (lines, credit) => {
        const t = computeTotals(lines, credit);
        const subtotal = lines.reduce((s, l) => s + l.amount, 0);
        const discounts = lines.reduce((s, l) => s + l.discountAmount, 0);
        const allTax = lines.reduce((s, l) => s + l.taxAmounts.reduce((a, x) => a + x.amount, 0), 0);
        const exclusiveTax = lines.reduce(
          (s, l) => s + l.taxAmounts.filter((x) => !x.inclusive).reduce((a, x) => a + x.amount, 0),
          0,
        );

        expect(t.subtotal).toBe(subtotal);
        expect(t.discountTotal).toBe(discounts);
        // R12: every line's tax amounts sum exactly to the invoice tax total
        expect(t.tax).toBe(allTax);
        expect(t.total).toBe(Math.max(0, subtotal - discounts + exclusiveTax));
        expect(t.creditApplied).toBe(Math.max(0, Math.min(credit, t.total)));
        expect(t.debitApplied).toBe(Math.max(0, -credit));
        expect(t.amountDue).toBe(t.total - t.creditApplied + t.debitApplied);

        // R14
        expect(t.total).toBeGreaterThanOrEqual(0);
        expect(t.creditApplied).toBeGreaterThanOrEqual(0);
        expect(t.creditApplied).toBeLessThanOrEqual(Math.max(0, credit));
        expect(t.amountDue).toBeGreaterThanOrEqual(0);
        if (credit >= t.total) expect(t.amountDue).toBe(0);

        for (const v of Object.values(t)) expect(Number.isSafeInteger(v)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("R14: a credit larger than the total leaves the excess unconsumed", () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 1_000_000 }), (lines, extra) => {
        const { total } = computeTotals(lines, 0);
        const t = computeTotals(lines, total + extra);
        expect(t.total).toBe(total);
        expect(t.creditApplied).toBe(total);
        expect(t.amountDue).toBe(0);
        expect(total + extra - t.creditApplied).toBe(extra);
      }),
    );
  });

  it("the order of lines does not change the totals", () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 6 }), creditArb, (lines, credit) => {
        expect(computeTotals([...lines].reverse(), credit)).toEqual(computeTotals(lines, credit));
      }),
    );
  });
});
