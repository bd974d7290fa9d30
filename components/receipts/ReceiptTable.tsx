import Link from "next/link";
import type { ReactNode } from "react";
import type { ReceiptListRow } from "@/db/queries/receipts";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { Formatter } from "@/lib/format";

export interface ReceiptTableProps {
  /** The reader's formatter: the customer's in the portal, the staff member's in the console. */
  fmt: Formatter;
  receipts: readonly ReceiptListRow[];
  timeZone: string;
  /** Where the invoice number links to. */
  invoiceHref: (receipt: ReceiptListRow) => string;
  /** The receipt's PDF download. */
  pdfHref: (receipt: ReceiptListRow) => string;
  /** More for each row after the download (the console's resend). */
  actions?: (receipt: ReceiptListRow) => ReactNode;
  /** What was sent, under the method (the console's send log). */
  detail?: (receipt: ReceiptListRow) => ReactNode;
}

/** The one receipt list: number, date, amount, method, the invoice it paid and the PDF, in the portal and the console. */
export function ReceiptTable({ fmt, receipts, timeZone, invoiceHref, pdfHref, actions, detail }: ReceiptTableProps) {
  return (
    <Table caption="Receipts">
      <THead>
        <TR>
          <TH>Receipt</TH>
          <TH className="hidden sm:table-cell">Date</TH>
          <TH className="hidden sm:table-cell">Method</TH>
          <TH className="hidden sm:table-cell">Invoice</TH>
          <TH numeric className="hidden sm:table-cell">
            Amount
          </TH>
          <TH>
            <span className="sr-only">Download</span>
          </TH>
        </TR>
      </THead>
      <TBody>
        {receipts.map((r) => (
          <TR key={r.id}>
            <TD wrap>
              <span className="font-medium text-slate-900">{r.number}</span>
              {/* Narrow screens: amount, date, method and invoice under the number, so nothing scrolls out of view. */}
              <span className="block text-[13px] font-medium text-slate-900 sm:hidden">
                {fmt.money(r.amount, r.currency)} · {fmt.date(r.paidAt, timeZone)}
              </span>
              <span className="block text-[13px] text-slate-600 sm:hidden">{r.methodLabel}</span>
              {detail ? <span className="block text-xs text-slate-500 sm:hidden">{detail(r)}</span> : null}
              <span className="block text-[13px] sm:hidden">
                For{" "}
                <Link href={invoiceHref(r)} className="text-brand-700 hover:underline">
                  {r.invoiceNumber ?? "invoice"}
                </Link>
              </span>
            </TD>
            <TD className="hidden sm:table-cell">{fmt.date(r.paidAt, timeZone)}</TD>
            <TD className="hidden sm:table-cell" wrap>
              {r.methodLabel}
              {detail ? <div className="text-xs text-slate-500">{detail(r)}</div> : null}
            </TD>
            <TD className="hidden sm:table-cell">
              <Link href={invoiceHref(r)} className="font-medium text-brand-700 hover:underline">
                {r.invoiceNumber ?? "Invoice"}
              </Link>
            </TD>
            <TD numeric className="hidden sm:table-cell">
              {fmt.money(r.amount, r.currency)}
            </TD>
            <TD>
              <div className="flex flex-col items-end gap-2 whitespace-nowrap sm:flex-row sm:items-center sm:justify-end sm:gap-3">
                {/* A plain link: the PDF is a download from a route handler, not a page. */}
                <a href={pdfHref(r)} download className="text-sm font-medium text-brand-700 hover:underline" aria-label={`Download receipt ${r.number} (PDF)`}>
                  <span className="hidden sm:inline">Download </span>PDF
                </a>
                {actions?.(r)}
              </div>
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
