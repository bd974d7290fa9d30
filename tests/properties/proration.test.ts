import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildInvoice } from "@/lib/billing/invoices/build-invoice";
import { prorationLines } from "@/lib/billing/proration/proration-lines";
import { planChange } from "@/lib/billing/subscriptions/change";
import type { SubscriptionState } from "@/lib/billing/subscriptions/state";
import type { DiscountTerms, LineInput, SubscriptionItemTerms } from "@/lib/billing/types";
import { australianGst } from "@/lib/tax/au-gst";
import { periodBoundary, prorate, prorationFraction } from "@/lib/time";

/**
 * R11 and R12 on the pure engine (no database): proration by the second, rounding once per line
 * half away from zero, invoice totals from lines.
 */
const ZONES = ["UTC", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Chatham", "Australia/Lord_Howe"] as const;
const AU = { address: { country: "AU" }, taxExempt: "none" as const, currency: "aud" };

let ids = 0;
const itemArb: fc.Arbitrary<SubscriptionItemTerms> = fc
  .record({
    unitAmount: fc.integer({ min: 1, max: 100_000 }),
    quantity: fc.integer({ min: 1, max: 20 }),
    taxBehavior: fc.constantFrom("inclusive" as const, "exclusive" as const),
  })
  .map(({ unitAmount, quantity, taxBehavior }) => {
    ids += 1;
    return {
      quantity,
      plan: { id: `plan_${ids}`, name: `Plan ${ids}`, interval: { unit: "month", count: 1 }, trialPeriodDays: 0 },
      price: { id: `price_${ids}`, currency: "aud", taxBehavior, billingScheme: "per_unit", unitAmount, tiersMode: null, tiers: null, packageSize: null },
    };
  });

/** A monthly period in a random zone, and an instant inside it (to the millisecond). */
const periodArb = fc
  .record({
    anchor: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 11, 31) }),
    tz: fc.constantFrom(...ZONES),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ anchor, tz, at }) => {
    const start = new Date(anchor);
    const end = periodBoundary(start, { unit: "month", count: 1 }, 1, tz);
    return { tz, period: { start, end }, at: new Date(start.getTime() + Math.floor((end.getTime() - start.getTime()) * at)) };
  });

const sum = (lines: readonly { amount: number }[]) => lines.reduce((s, l) => s + l.amount, 0);
const full = (item: SubscriptionItemTerms) => (item.price.unitAmount ?? 0) * item.quantity;

function stateOf(items: SubscriptionItemTerms[], p: { tz: string; period: { start: Date; end: Date } }): SubscriptionState {
  return {
    status: "active",
    currency: "aud",
    timeZone: p.tz,
    anchor: p.period.start,
    period: p.period,
    trialEnd: null,
    cancelAtPeriodEnd: false,
    pausedAt: null,
    pauseResumesAt: null,
    items,
    pendingChange: null,
    discount: null,
    collectionMethod: "charge_automatically",
    hasPaymentMethod: true,
    pendingLines: [],
  };
}

describe("property: proration (R11)", () => {
  it("a whole period prorates to the whole price", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), periodArb, (amount, p) => {
        expect(prorate(amount, prorationFraction(p.period, p.period.start))).toBe(amount);
        expect(prorate(amount, prorationFraction(p.period, p.period.end))).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it("a change at the period start credits the full old price and charges the full new one", () => {
    fc.assert(
      fc.property(itemArb, itemArb, periodArb, (before, after, p) => {
        const lines = prorationLines([before], [after], p.period, p.period.start, p.tz);
        expect(lines.map((l) => [l.amount, l.proration, l.periodStart, l.periodEnd])).toEqual([
          [-full(before), true, p.period.start, p.period.end],
          [full(after), true, p.period.start, p.period.end],
        ]);
      }),
      { numRuns: 200 },
    );
  });

  it("an upgrade and a downgrade back at the same instant net to zero (±1 minor unit per line), in amount and in tax", () => {
    fc.assert(
      fc.property(itemArb, itemArb, periodArb, (a, b, p) => {
        const up = planChange(stateOf([a], p), { items: [b], prorationBehavior: "create_prorations", effective: "now", at: p.at });
        const down = planChange(up.state, { items: [a], prorationBehavior: "create_prorations", effective: "now", at: p.at });
        const lines = [...up.pendingLines, ...down.pendingLines];
        // Nothing left of the period once counted in whole seconds: nothing to prorate.
        expect(lines).toHaveLength(prorationFraction(p.period, p.at).numerator === 0n ? 0 : 4);
        expect(Math.abs(sum(lines))).toBeLessThanOrEqual(lines.length);
        // Symmetric rounding makes it exact: each credit is the negation of the matching charge.
        expect(sum(lines)).toBe(0);
        // What is left waiting for the next invoice nets to zero there too, tax included.
        const invoice = buildInvoice({ customer: { ...AU, creditBalance: 0 }, currency: "aud", lines: down.state.pendingLines, discount: null, taxCalculator: australianGst, asOf: p.at });
        expect(invoice.subtotal).toBe(0);
        expect(invoice.tax).toBe(0);
        expect(invoice.total).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it("credit and charge for the rest of the period add up to the price difference × the fraction, within one unit per line", () => {
    fc.assert(
      fc.property(itemArb, itemArb, periodArb, (a, b, p) => {
        const lines = prorationLines([a], [b], p.period, p.at, p.tz);
        const f = prorationFraction(p.period, p.at);
        const exact = (Number(f.numerator) * (full(b) - full(a))) / Number(f.denominator);
        expect(Math.abs(sum(lines) - exact)).toBeLessThanOrEqual(lines.length * 0.5 + 1e-6);
        for (const l of lines) expect(Number.isInteger(l.amount)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

const lineArb: fc.Arbitrary<LineInput> = fc.record({
  description: fc.constant("line"),
  amount: fc.integer({ min: -100_000, max: 100_000 }),
  quantity: fc.integer({ min: 1, max: 10 }),
  unitAmount: fc.constant(null),
  periodStart: fc.constant(null),
  periodEnd: fc.constant(null),
  proration: fc.boolean(),
  priceId: fc.constant(null),
  planId: fc.constantFrom(null, "plan_a", "plan_b"),
  taxBehavior: fc.constantFrom("inclusive" as const, "exclusive" as const),
});

const discountArb: fc.Arbitrary<DiscountTerms | null> = fc.oneof(
  fc.constant(null),
  fc.record({ couponId: fc.constant("cpn"), percentOffBps: fc.integer({ min: 1, max: 10_000 }), amountOff: fc.constant(null), currency: fc.constant(null), appliesToPlans: fc.constantFrom<string[] | null>(null, ["plan_a"]) }),
  fc.record({ couponId: fc.constant("cpn"), percentOffBps: fc.constant(null), amountOff: fc.integer({ min: 1, max: 200_000 }), currency: fc.constant("aud"), appliesToPlans: fc.constantFrom<string[] | null>(null, ["plan_b"]) }),
);

describe("property: invoice totals from lines (R11, R12, R14)", () => {
  it("Σ lines = subtotal, Σ line tax = tax, total = max(0, subtotal − discount + exclusive tax) ≥ 0, amount due = total − credit, all integers", () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 8 }), discountArb, fc.integer({ min: 0, max: 300_000 }), fc.constantFrom("AU", "NZ"), (lines, discount, balance, country) => {
        const inv = buildInvoice({ customer: { ...AU, address: { country }, creditBalance: balance }, currency: "aud", lines, discount, taxCalculator: australianGst, asOf: new Date("2027-01-01T00:00:00Z") });
        const numbers = [inv.subtotal, inv.discountTotal, inv.tax, inv.total, inv.creditApplied, inv.amountDue, inv.excessCredit, ...inv.lines.flatMap((l) => [l.amount, l.discountAmount, ...l.taxAmounts.map((t) => t.amount)])];
        expect(numbers.every(Number.isSafeInteger)).toBe(true);
        expect(inv.subtotal).toBe(sum(lines));
        expect(inv.discountTotal).toBe(inv.lines.reduce((s, l) => s + l.discountAmount, 0));
        expect(inv.tax).toBe(inv.lines.flatMap((l) => l.taxAmounts).reduce((s, t) => s + t.amount, 0));
        const exclusiveTax = inv.lines.flatMap((l) => l.taxAmounts.filter((t) => !t.inclusive)).reduce((s, t) => s + t.amount, 0);
        expect(inv.total).toBe(Math.max(0, inv.subtotal - inv.discountTotal + exclusiveTax));
        expect(inv.creditApplied).toBe(Math.min(balance, inv.total));
        expect(inv.amountDue).toBe(inv.total - inv.creditApplied);
        expect(inv.amountDue).toBeGreaterThanOrEqual(0);
        // R14: only credits beyond the charges come back as balance, never more than the shortfall.
        expect(inv.excessCredit).toBeGreaterThanOrEqual(0);
        expect(inv.excessCredit).toBeLessThanOrEqual(Math.max(0, -(inv.subtotal - inv.discountTotal + exclusiveTax)));
        if (inv.excessCredit > 0) expect(inv.total).toBe(0);
        // A discount never exceeds what it discounts: an amount-off coupon stops at the positive lines.
        if (discount?.amountOff) expect(inv.discountTotal).toBeLessThanOrEqual(Math.min(discount.amountOff, lines.filter((l) => l.amount > 0).reduce((s, l) => s + l.amount, 0)));
      }),
      { numRuns: 300 },
    );
  });
});
