import { sumMinor } from "@/lib/money";
import type { DraftLine, InvoiceTotals } from "../types";

/**
 * Invoice totals from its lines: total = subtotal − discounts + exclusive tax (inclusive tax is
 * already inside the line amounts), then the customer's balance (applyBalance). A negative result
 * (credit prorations larger than charges) leaves the total at 0 and reports the excess, which the
 * service returns to the customer's balance.
 */
export function computeTotals(lines: readonly DraftLine[], balance: number): InvoiceTotals {
  const subtotal = sumMinor(lines.map((l) => l.amount));
  const discountTotal = sumMinor(lines.map((l) => l.discountAmount));
  const tax = sumMinor(lines.flatMap((l) => l.taxAmounts.map((t) => t.amount)));
  const exclusiveTax = sumMinor(lines.flatMap((l) => l.taxAmounts.filter((t) => !t.inclusive).map((t) => t.amount)));
  const raw = subtotal - discountTotal + exclusiveTax;
  const total = Math.max(0, raw);
  const applied = applyBalance(balance, total);
  // Only credit lines (unused time) can return money to the balance; a discount never does.
  const credits = -sumMinor(lines.filter((l) => l.amount < 0).map((l) => l.amount - l.discountAmount));
  const excessCredit = Math.min(Math.max(0, -raw), Math.max(0, credits));
  return { subtotal, discountTotal, tax, total, ...applied, excessCredit };
}

/**
 * The customer's balance on an invoice, the one rule for it (the engine's totals and finalization
 * both use it). Positive balance is credit: it pays up to the total and never makes it negative.
 * Negative balance is a debit (amounts earlier invoices carried because they were below the
 * minimum charge): all of it is added to the amount due, as Stripe's invoice balance is.
 */
export function applyBalance(balance: number, total: number): { creditApplied: number; debitApplied: number; amountDue: number } {
  const creditApplied = Math.max(0, Math.min(balance, total));
  const debitApplied = Math.max(0, -balance);
  return { creditApplied, debitApplied, amountDue: total - creditApplied + debitApplied };
}
