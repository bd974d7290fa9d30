import Link from "next/link";
import type { InvoiceRow } from "@/db/queries/invoices";
import { StatusBadge, Table, TBody, TD, TEmpty, TH, THead, TR } from "@/components/ui";
import type { Formatter } from "@/lib/format";

export interface InvoiceTableProps {
  /** The reader's formatter (lib/format). */
  fmt: Formatter;
  invoices: readonly InvoiceRow[];
  timeZone: string;
  /** Where each invoice number links to. */
  href: (invoice: InvoiceRow) => string;
  /** Extra money columns; `remaining` is what is still owed (open and uncollectible invoices). */
  show?: { tax?: boolean; paid?: boolean; remaining?: boolean };
  /** Inside a card (no border of its own). */
  bare?: boolean;
  empty?: string;
}

/** The one invoice list: number, date, status and totals, used by the portal and the console. */
export function InvoiceTable({ invoices, timeZone, href, show = {}, bare, empty = "No invoices yet.", fmt }: InvoiceTableProps) {
  const columns = 4 + (show.tax ? 1 : 0) + (show.paid ? 1 : 0) + (show.remaining ? 1 : 0);
  return (
    <Table bare={bare}>
      <THead>
        <TR>
          <TH>Invoice</TH>
          <TH className="hidden sm:table-cell">Date</TH>
          <TH>Status</TH>
          {show.tax ? <TH numeric className="hidden sm:table-cell">Tax</TH> : null}
          <TH numeric>Total</TH>
          {show.paid ? <TH numeric className="hidden sm:table-cell">Paid</TH> : null}
          {show.remaining ? <TH numeric>Due</TH> : null}
        </TR>
      </THead>
      <TBody>
        {invoices.length === 0 ? (
          <TEmpty colSpan={columns}>{empty}</TEmpty>
        ) : (
          invoices.map((inv) => (
            <TR key={inv.id}>
              <TD>
                <Link href={href(inv)} className="font-medium text-brand-700 hover:underline">
                  {inv.number ?? "Draft"}
                </Link>
                {/* Narrow screens: the date under the number, so the money columns stay in view. */}
                <span className="block text-[13px] text-slate-600 sm:hidden">{fmt.date(inv.finalizedAt ?? inv.createdAt, timeZone)}</span>
              </TD>
              <TD className="hidden sm:table-cell">{fmt.date(inv.finalizedAt ?? inv.createdAt, timeZone)}</TD>
              <TD>
                <StatusBadge status={inv.status} />
              </TD>
              {show.tax ? <TD numeric className="hidden sm:table-cell">{fmt.money(inv.tax, inv.currency)}</TD> : null}
              <TD numeric>{fmt.money(inv.total, inv.currency)}</TD>
              {show.paid ? <TD numeric className="hidden sm:table-cell">{fmt.money(inv.amountPaid, inv.currency)}</TD> : null}
              {show.remaining ? (
                <TD numeric className={owed(inv) ? "font-medium text-slate-900" : "text-slate-500"}>
                  {owed(inv) ? fmt.money(inv.amountRemaining, inv.currency) : "—"}
                </TD>
              ) : null}
            </TR>
          ))
        )}
      </TBody>
    </Table>
  );
}

function owed(inv: InvoiceRow): boolean {
  return (inv.status === "open" || inv.status === "uncollectible") && inv.amountRemaining > 0;
}
