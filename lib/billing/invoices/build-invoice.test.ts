import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { australianGst } from "@/lib/tax/au-gst";
import type { TaxCalculator } from "@/lib/tax/port";
import type { PriceTerms, SubscriptionItemTerms } from "../types";
import type { TaxableCustomer } from "@/lib/tax/port";
import { periodLines } from "../subscriptions/period-lines";
import { buildInvoice } from "./build-invoice";

// A whole-period subscription invoice: the period lines through the one invoice builder.
interface DraftSubscriptionInvoiceInput {
  customer: TaxableCustomer & { creditBalance: number };
  items: SubscriptionItemTerms[];
  period: { start: Date; end: Date };
  taxCalculator: TaxCalculator;
  asOf: Date;
}
function draftSubscriptionInvoice(i: DraftSubscriptionInvoiceInput) {
  const currency = i.items[0]?.price.currency ?? i.customer.currency;
  return buildInvoice({ customer: i.customer, currency, lines: periodLines(i.items, i.period), discount: null, taxCalculator: i.taxCalculator, asOf: i.asOf });
}

const asOf = new Date("2026-02-01T00:00:00Z");
const period = { start: new Date("2026-01-31T13:00:00Z"), end: new Date("2026-02-28T13:00:00Z") };

function price(id: string, unitAmount: number, overrides: Partial<PriceTerms> = {}): PriceTerms {
  return {
    id,
    currency: "aud",
    taxBehavior: "inclusive",
    billingScheme: "per_unit",
    unitAmount,
    tiersMode: null,
    tiers: null,
    packageSize: null,
    ...overrides,
  };
}

function item(name: string, p: PriceTerms, quantity = 1): SubscriptionItemTerms {
  return { price: p, plan: { id: `plan_${name}`, name, interval: { unit: "month", count: 1 }, trialPeriodDays: 0 }, quantity };
}

const starter = item("Starter", price("price_starter", 1000));

function draft(overrides: Partial<DraftSubscriptionInvoiceInput> = {}) {
  return draftSubscriptionInvoice({
    customer: { address: { country: "AU" }, taxExempt: "none", currency: "aud", creditBalance: 0 },
    items: [starter],
    period,
    taxCalculator: australianGst,
    asOf,
    ...overrides,
  });
}

describe("a whole-period subscription invoice (periodLines → buildInvoice)", () => {
  it("Starter: A$10.00 GST-inclusive → one line of 1000 with 91 GST, total and amount due 1000", () => {
    const invoice = draft();
    expect(invoice.currency).toBe("aud");
    expect(invoice.lines).toHaveLength(1);
    expect(invoice.lines[0]).toEqual({
      description: "Starter",
      amount: 1000,
      quantity: 1,
      unitAmount: 1000,
      periodStart: period.start,
      periodEnd: period.end,
      proration: false,
      priceId: "price_starter",
      discountAmount: 0,
      taxAmounts: [{ amount: 91, rate: "0.1", jurisdiction: "AU GST", inclusive: true, reverseCharge: false }],
    });
    expect(invoice).toMatchObject({ subtotal: 1000, discountTotal: 0, tax: 91, total: 1000, creditApplied: 0, amountDue: 1000 });
  });

  it("two items: one line each, in order, taxed per line", () => {
    const addon = item("Extra storage", price("price_storage", 550, { taxBehavior: "exclusive" }));
    const invoice = draft({ items: [starter, addon] });
    expect(invoice.lines.map((l) => [l.description, l.amount, l.priceId, l.taxAmounts.map((t) => t.amount)])).toEqual([
      ["Starter", 1000, "price_starter", [91]],
      ["Extra storage", 550, "price_storage", [55]],
    ]);
    // inclusive 91 is inside 1000; exclusive 55 is added
    expect(invoice).toMatchObject({ subtotal: 1550, tax: 146, total: 1605, amountDue: 1605 });
  });

  it("quantity 3 seats: description '3 × Plan', amount = 3 × unit", () => {
    const invoice = draft({ items: [item("Team", price("price_team", 1500), 3)] });
    expect(invoice.lines[0]).toMatchObject({ description: "3 × Team", quantity: 3, unitAmount: 1500, amount: 4500 });
    expect(invoice.lines[0]!.taxAmounts[0]!.amount).toBe(409); // 4500 / 11 = 409.09
    expect(invoice).toMatchObject({ subtotal: 4500, tax: 409, total: 4500, amountDue: 4500 });
  });

  it("credit balance 300 → credit applied 300, amount due 700", () => {
    const invoice = draft({ customer: { address: { country: "AU" }, taxExempt: "none", currency: "aud", creditBalance: 300 } });
    expect(invoice).toMatchObject({ total: 1000, creditApplied: 300, amountDue: 700 });
  });

  it("credit balance 5000 → amount due 0, only the total is consumed (R14)", () => {
    const invoice = draft({ customer: { address: { country: "AU" }, taxExempt: "none", currency: "aud", creditBalance: 5000 } });
    expect(invoice).toMatchObject({ total: 1000, creditApplied: 1000, amountDue: 0 });
  });

  it("a negative balance (a debit, money owed) is not credit: it is added to the amount due, untaxed", () => {
    const invoice = draft({ customer: { address: { country: "AU" }, taxExempt: "none", currency: "aud", creditBalance: -400 } });
    expect(invoice).toMatchObject({ total: 1000, tax: 91, creditApplied: 0, debitApplied: 400, amountDue: 1400 });
  });

  it("every line's period is exactly the period passed in", () => {
    const other = { start: new Date("2026-03-31T13:00:00Z"), end: new Date("2026-04-30T14:00:00Z") };
    const invoice = draft({ items: [starter, item("Seats", price("price_seats", 200), 4)], period: other });
    for (const l of invoice.lines) {
      expect(l.periodStart).toEqual(other.start);
      expect(l.periodEnd).toEqual(other.end);
    }
  });

  it("a customer outside Australia gets no tax", () => {
    const invoice = draft({ customer: { address: { country: "US" }, taxExempt: "none", currency: "usd", creditBalance: 0 } });
    expect(invoice.lines[0]!.taxAmounts).toEqual([]);
    expect(invoice).toMatchObject({ tax: 0, total: 1000, amountDue: 1000 });
  });

  it("JPY: ¥1,100 inclusive → ¥100 GST, same integers (R13)", () => {
    const invoice = draft({ items: [item("Starter", price("price_jpy", 1100, { currency: "jpy" }))] });
    expect(invoice).toMatchObject({ currency: "jpy", subtotal: 1100, tax: 100, total: 1100 });
  });

  it("passes every line to the tax calculator once, with the priced amount and behaviour", () => {
    const seen: unknown[] = [];
    const spy: TaxCalculator = {
      calculate(input) {
        seen.push(input);
        return input.lines.map(() => []);
      },
    };
    const items = [starter, item("Seats", price("price_seats", 200, { taxBehavior: "exclusive" }), 4)];
    draft({ items, taxCalculator: spy });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      asOf,
      lines: [
        { amount: 1000, taxBehavior: "inclusive" },
        { amount: 800, taxBehavior: "exclusive" },
      ],
    });
  });

  it("property: lines × credit always satisfy the invoice invariant", () => {
    const itemArb = fc
      .record({
        unit: fc.integer({ min: 0, max: 1_000_000 }),
        quantity: fc.integer({ min: 0, max: 1000 }),
        inclusive: fc.boolean(),
      })
      .map(({ unit, quantity, inclusive }) =>
        item("P", price("price_p", unit, { taxBehavior: inclusive ? "inclusive" : "exclusive" }), quantity),
      );
    fc.assert(
      fc.property(fc.array(itemArb, { minLength: 1, maxLength: 5 }), fc.integer({ min: -1000, max: 10_000_000 }), (items, creditBalance) => {
        const invoice = draft({ items, customer: { address: { country: "AU" }, taxExempt: "none", currency: "aud", creditBalance } });
        expect(invoice.lines).toHaveLength(items.length);
        const lineTax = invoice.lines.flatMap((l) => l.taxAmounts).reduce((s, t) => s + t.amount, 0);
        const exclusiveTax = invoice.lines.flatMap((l) => l.taxAmounts).filter((t) => !t.inclusive).reduce((s, t) => s + t.amount, 0);
        expect(invoice.tax).toBe(lineTax);
        expect(invoice.subtotal).toBe(invoice.lines.reduce((s, l) => s + l.amount, 0));
        expect(invoice.total).toBe(invoice.subtotal + exclusiveTax);
        expect(invoice.creditApplied).toBe(Math.min(Math.max(0, creditBalance), invoice.total));
        expect(invoice.debitApplied).toBe(Math.max(0, -creditBalance));
        expect(invoice.amountDue).toBe(invoice.total - invoice.creditApplied + invoice.debitApplied);
        expect(invoice.amountDue).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
