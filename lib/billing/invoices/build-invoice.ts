import type { TaxCalculator, TaxableCustomer } from "@/lib/tax/port";
import { discountLines } from "../discounts/discount-lines";
import type { DiscountTerms, DraftLine, InvoiceDraft, LineInput } from "../types";
import { computeTotals } from "./totals";

export interface BuildInvoiceInput {
  customer: TaxableCustomer & { creditBalance: number };
  currency: string;
  lines: readonly LineInput[];
  discount: DiscountTerms | null;
  taxCalculator: TaxCalculator;
  asOf: Date;
}

/**
 * Any invoice from its priced lines: discount per line, then tax per line on the discounted amount,
 * then totals and the customer's credit. The one place invoice money is computed, so a preview and
 * the real invoice cannot disagree.
 */
export function buildInvoice(input: BuildInvoiceInput): InvoiceDraft {
  const { customer, lines, discount, taxCalculator, asOf } = input;
  const discounts = discountLines(lines, discount);
  const taxes = taxCalculator.calculate({
    customer,
    lines: lines.map((line, i) => ({ amount: line.amount - (discounts[i] ?? 0), taxBehavior: line.taxBehavior })),
    asOf,
  });
  const drafted: DraftLine[] = lines.map((line, i) => ({
    description: line.description,
    amount: line.amount,
    quantity: line.quantity,
    unitAmount: line.unitAmount,
    periodStart: line.periodStart,
    periodEnd: line.periodEnd,
    proration: line.proration,
    priceId: line.priceId,
    discountAmount: discounts[i] ?? 0,
    taxAmounts: taxes[i] ?? [],
  }));
  return { currency: input.currency, lines: drafted, ...computeTotals(drafted, customer.creditBalance) };
}
