import { sumMinor } from "@/lib/money";
import type { DraftLine, InvoiceTotals } from "../types";

/**
 * Invoice totals from its lines: total = subtotal − discounts + exclusive tax (inclusive tax is
 * already inside the line amounts); credit applies up to the total and never makes it negative.
 * A negative result (credit prorations larger than charges) leaves the total at 0 and reports the
 * excess, which the service returns to the customer's balance.
 */
export function computeTotals(lines: readonly DraftLine[], availableCredit: number): InvoiceTotals {
  const subtotal = sumMinor(lines.map((l) => l.amount));
  const discountTotal = sumMinor(lines.map((l) => l.discountAmount));
  const tax = sumMinor(lines.flatMap((l) => l.taxAmounts.map((t) => t.amount)));
  const exclusiveTax = sumMinor(lines.flatMap((l) => l.taxAmounts.filter((t) => !t.inclusive).map((t) => t.amount)));
  const raw = subtotal - discountTotal + exclusiveTax;
  const total = Math.max(0, raw);
  const creditApplied = Math.max(0, Math.min(availableCredit, total));
  // Only credit lines (unused time) can return money to the balance; a discount never does.
  const credits = -sumMinor(lines.filter((l) => l.amount < 0).map((l) => l.amount - l.discountAmount));
  const excessCredit = Math.min(Math.max(0, -raw), Math.max(0, credits));
  return { subtotal, discountTotal, tax, total, creditApplied, amountDue: total - creditApplied, excessCredit };
}
