import type { InvoiceWithLines } from "@/db/queries/invoices";
import type { PaymentRow } from "@/db/queries/payments";
import { Card, CardBody, CardHeader, StatusBadge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { CARRIED_LABEL, carriedToBalanceNote, DEBIT_APPLIED_LABEL } from "@/lib/invoices/below-minimum-words";
import type { Formatter } from "@/lib/format";

export interface InvoiceDetailProps {
  /** The reader's formatter (lib/format). */
  fmt: Formatter;
  invoice: InvoiceWithLines;
  payments: PaymentRow[];
  timeZone: string;
  /**
   * The page around it already names the invoice (its heading, dates and status): the lines are
   * then the "Summary" under that heading instead of repeating the number.
   */
  namedByPage?: boolean;
  /** A usage line's tiers by line id ("1,000 × $0.00 + 500 × $0.002"), shown under its description. */
  lineTiers?: ReadonlyMap<string, string>;
}

/** An invoice as the customer and staff both see it: lines, tax, totals and payment attempts. */
export function InvoiceDetail({ invoice, payments, timeZone, namedByPage = false, lineTiers, fmt }: InvoiceDetailProps) {
  const money = (n: number) => fmt.money(n, invoice.currency);
  const taxes = invoice.lines.flatMap((l) => l.taxAmounts);
  const inclusive = taxes.length > 0 && taxes.every((t) => t.inclusive);
  const taxLabel = taxes[0]?.jurisdiction === "AU GST" ? "GST (10%)" : "Tax";
  return (
    <div className="space-y-6">
      <Card>
        {namedByPage ? (
          <CardHeader title="Summary" />
        ) : (
          <CardHeader
            title={invoice.number ? `Invoice ${invoice.number}` : "Draft invoice"}
            description={invoiceDates(invoice, timeZone, fmt)}
            actions={<StatusBadge status={invoice.status} />}
          />
        )}
        <CardBody className="p-0">
          <Table bare>
            <THead>
              <TR>
                <TH>Description</TH>
                <TH className="hidden sm:table-cell">Period</TH>
                <TH numeric>Qty</TH>
                <TH numeric>Amount</TH>
              </TR>
            </THead>
            <TBody>
              {invoice.lines.map((line) => (
                <TR key={line.id}>
                  <TD wrap className="font-medium text-slate-900">
                    {line.description}
                    {/* On narrow screens the period sits under the description, so the amount stays in view. */}
                    {line.periodStart ? (
                      <span className="block text-[13px] font-normal text-slate-600 sm:hidden">
                        {fmt.period(line.periodStart, line.periodEnd, timeZone)}
                      </span>
                    ) : null}
                    {line.proration ? <span className="block text-[13px] font-normal text-slate-600">Proration</span> : null}
                    {lineTiers?.get(line.id) ? (
                      <span className="block text-[13px] font-normal text-slate-600" data-testid="line-tiers">
                        {lineTiers.get(line.id)}
                      </span>
                    ) : null}
                  </TD>
                  <TD className="hidden text-slate-600 sm:table-cell">
                    {line.periodStart ? fmt.period(line.periodStart, line.periodEnd, timeZone) : "—"}
                  </TD>
                  <TD numeric>{fmt.count(line.quantity)}</TD>
                  <TD numeric>{money(line.amount)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <dl className="ml-auto max-w-xs space-y-1.5 px-5 py-4 text-sm">
            <Row label="Subtotal" value={money(invoice.subtotal)} />
            {invoice.discountTotal > 0 ? <Row label="Discounts" value={`−${money(invoice.discountTotal)}`} /> : null}
            {invoice.tax > 0 ? <Row label={inclusive ? `${taxLabel} included` : taxLabel} value={money(invoice.tax)} /> : null}
            <Row label="Total" value={money(invoice.total)} strong />
            {invoice.creditApplied > 0 ? <Row label="Credit applied" value={`−${money(invoice.creditApplied)}`} /> : null}
            {invoice.debitApplied > 0 ? <Row label={DEBIT_APPLIED_LABEL} value={`+${money(invoice.debitApplied)}`} /> : null}
            {invoice.debitApplied > 0 || invoice.creditApplied > 0 ? <Row label="Amount due" value={money(invoice.amountDue)} /> : null}
            <Row label="Amount paid" value={money(invoice.amountPaid)} />
            {invoice.carriedToBalance > 0 ? <Row label={CARRIED_LABEL} value={money(invoice.carriedToBalance)} /> : null}
            <Row label="Amount remaining" value={money(invoice.amountRemaining)} strong={invoice.amountRemaining > 0} />
          </dl>
          {invoice.carriedToBalance > 0 ? (
            <p role="note" data-testid="carried-to-balance" className="mx-5 mb-4 rounded-md border border-slate-200 bg-slate-50 px-4 py-3 text-sm text-slate-700">
              {carriedToBalanceNote(invoice.carriedToBalance, invoice.currency)}
            </p>
          ) : null}
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Payments" />
        <CardBody className="p-0">
          {payments.length === 0 ? (
            <p className="px-5 py-4 text-sm text-slate-600">{invoice.carriedToBalance > 0 ? "None: nothing was charged." : "No payment attempts yet."}</p>
          ) : (
            <Table bare>
              <THead>
                <TR>
                  <TH>Date</TH>
                  <TH>Status</TH>
                  <TH className="hidden sm:table-cell">Detail</TH>
                  <TH numeric>Amount</TH>
                </TR>
              </THead>
              <TBody>
                {payments.map((p) => (
                  <TR key={p.id}>
                    <TD wrap>
                      {fmt.dateTime(p.createdAt, timeZone)}
                      <span className="block text-[13px] text-slate-600 sm:hidden">{p.failureMessage ?? (p.status === "succeeded" ? `Attempt ${p.attempt}` : "")}</span>
                    </TD>
                    <TD>
                      <StatusBadge status={p.status} />
                    </TD>
                    <TD className="hidden text-slate-600 sm:table-cell">{p.failureMessage ?? (p.status === "succeeded" ? `Attempt ${p.attempt}` : "—")}</TD>
                    <TD numeric>{money(p.amount)}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </CardBody>
      </Card>
    </div>
  );
}

/** "Issued 3 Jan 2026 · Paid 3 Jan 2026". */
export function invoiceDates(invoice: Pick<InvoiceWithLines, "finalizedAt" | "createdAt" | "paidAt">, timeZone: string, fmt: Formatter): string {
  return `Issued ${fmt.date(invoice.finalizedAt ?? invoice.createdAt, timeZone)}${invoice.paidAt ? ` · Paid ${fmt.date(invoice.paidAt, timeZone)}` : ""}`;
}

function Row({ label, value, strong }: { label: string; value: string; strong?: boolean }) {
  return (
    <div className={`flex justify-between gap-6 ${strong ? "font-semibold text-slate-900" : "text-slate-600"}`}>
      <dt>{label}</dt>
      <dd className="tabular-nums">{value}</dd>
    </div>
  );
}
