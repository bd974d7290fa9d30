import type { TaxCalculator, TaxableCustomer } from "@/lib/tax/port";
import { priceAmount } from "../pricing";
import type { DraftLine, InvoiceDraft, SubscriptionItemTerms } from "../types";
import { computeTotals } from "./totals";

export interface DraftSubscriptionInvoiceInput {
  customer: TaxableCustomer & { creditBalance: number };
  items: readonly SubscriptionItemTerms[];
  period: { start: Date; end: Date };
  taxCalculator: TaxCalculator;
  asOf: Date;
}

/** The invoice for one whole period of a subscription: one line per item, tax per line, credit applied. */
export function draftSubscriptionInvoice(input: DraftSubscriptionInvoiceInput): InvoiceDraft {
  const { customer, items, period, taxCalculator, asOf } = input;
  const currency = items[0]?.price.currency ?? customer.currency;
  const priced = items.map((item) => ({
    item,
    amount: priceAmount(item.price, item.quantity),
  }));
  const taxes = taxCalculator.calculate({
    customer,
    lines: priced.map((p) => ({ amount: p.amount, taxBehavior: p.item.price.taxBehavior })),
    asOf,
  });
  const lines: DraftLine[] = priced.map(({ item, amount }, i) => ({
    description: item.quantity === 1 ? item.plan.name : `${item.quantity} × ${item.plan.name}`,
    amount,
    quantity: item.quantity,
    unitAmount: item.price.unitAmount,
    periodStart: period.start,
    periodEnd: period.end,
    proration: false,
    priceId: item.price.id,
    discountAmount: 0,
    taxAmounts: taxes[i] ?? [],
  }));
  return { currency, lines, ...computeTotals(lines, Math.max(0, customer.creditBalance)) };
}
