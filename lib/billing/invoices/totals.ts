import { sumMinor } from "@/lib/money";
import type { DraftLine, InvoiceTotals } from "../types";

/**
 * Invoice totals from its lines: total = subtotal − discounts + exclusive tax (inclusive tax is
 * already inside the line amounts); credit applies up to the total and never makes it negative.
 */
export function computeTotals(lines: readonly DraftLine[], availableCredit: number): InvoiceTotals {
  const subtotal = sumMinor(lines.map((l) => l.amount));
  const discountTotal = sumMinor(lines.map((l) => l.discountAmount));
  const tax = sumMinor(lines.flatMap((l) => l.taxAmounts.map((t) => t.amount)));
  const exclusiveTax = sumMinor(lines.flatMap((l) => l.taxAmounts.filter((t) => !t.inclusive).map((t) => t.amount)));
  const total = Math.max(0, subtotal - discountTotal + exclusiveTax);
  const creditApplied = Math.max(0, Math.min(availableCredit, total));
  return { subtotal, discountTotal, tax, total, creditApplied, amountDue: total - creditApplied };
}
