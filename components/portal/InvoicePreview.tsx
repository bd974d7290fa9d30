import type { InvoiceDraft } from "@/lib/billing/types";
import { cn } from "@/components/ui";
import { DEBIT_APPLIED_LABEL } from "@/lib/invoices/below-minimum-words";
import { taxLabel } from "./plan-display";
import type { Formatter } from "@/lib/format";

/**
 * An invoice that has not been issued yet — the next renewal, or what a change invoices today —
 * line by line, with the totals the real invoice will have (the services compute both the same way).
 */
export function InvoicePreview({ invoice, timeZone, label, className, testId, fmt }: { invoice: InvoiceDraft; timeZone: string; label: string; className?: string; testId?: string; fmt: Formatter }) {
  const money = (n: number) => fmt.money(n, invoice.currency);
  const inclusive = invoice.lines.some((l) => l.taxAmounts.some((t) => t.inclusive));
  const row = "flex items-baseline justify-between gap-4";
  return (
    <dl aria-label={label} data-testid={testId} className={cn("space-y-1.5 text-sm", className)}>
      {invoice.lines.map((line, i) => (
        <div key={i} className={row}>
          <dt className="min-w-0 text-slate-700">
            {line.description}
            {line.periodStart && line.periodEnd ? (
              <span className="block text-xs text-slate-600">
                {fmt.period(line.periodStart, line.periodEnd, timeZone)}
              </span>
            ) : null}
          </dt>
          <dd className="shrink-0 whitespace-nowrap tabular-nums text-slate-900">{money(line.amount)}</dd>
        </div>
      ))}
      {invoice.discountTotal > 0 ? (
        <div className={cn(row, "text-success-800")}>
          <dt>Discount</dt>
          <dd className="shrink-0 whitespace-nowrap tabular-nums">−{money(invoice.discountTotal)}</dd>
        </div>
      ) : null}
      {invoice.tax > 0 ? (
        <div className={cn(row, "text-slate-600")}>
          <dt>{inclusive ? `Includes ${taxLabel(invoice.lines)}` : taxLabel(invoice.lines)}</dt>
          <dd className="shrink-0 whitespace-nowrap tabular-nums">{money(invoice.tax)}</dd>
        </div>
      ) : null}
      {invoice.creditApplied > 0 ? (
        <div className={cn(row, "text-slate-600")}>
          <dt>Credit from your balance</dt>
          <dd className="shrink-0 whitespace-nowrap tabular-nums">−{money(invoice.creditApplied)}</dd>
        </div>
      ) : null}
      {invoice.debitApplied > 0 ? (
        <div className={cn(row, "text-slate-600")}>
          <dt>{DEBIT_APPLIED_LABEL}</dt>
          <dd className="shrink-0 whitespace-nowrap tabular-nums">+{money(invoice.debitApplied)}</dd>
        </div>
      ) : null}
      {invoice.excessCredit > 0 ? (
        <div className={cn(row, "text-slate-600")}>
          <dt>Added to your balance</dt>
          <dd className="shrink-0 whitespace-nowrap tabular-nums">{money(invoice.excessCredit)}</dd>
        </div>
      ) : null}
      <div className={cn(row, "border-t border-slate-200 pt-2 font-semibold text-slate-900")}>
        <dt>Amount due</dt>
        <dd className="shrink-0 whitespace-nowrap tabular-nums">{money(invoice.amountDue)}</dd>
      </div>
    </dl>
  );
}
