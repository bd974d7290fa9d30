import { getDb } from "@/db/client";
import { listCustomerCreditNotes } from "@/db/queries/credit-notes";
import { listCustomerInvoices } from "@/db/queries/invoices";
import { EmptyState, StatusBadge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { TabProps } from "./context";
import { consoleFormatter } from "@/lib/auth/console-formatter";

const outcomes: Record<string, string> = {
  refund: "Refunded to card",
  credit: "Credited to balance",
  out_of_band: "Repaid outside Tally",
  reduce_amount_due: "Reduced amount owed",
};

export async function CreditNotesTab({ customer }: TabProps) {
  const fmt = await consoleFormatter();
  const db = await getDb();
  const [notes, invoices] = await Promise.all([listCustomerCreditNotes(db, customer.id), listCustomerInvoices(db, customer.id)]);
  if (notes.length === 0) return <EmptyState title="No credit notes" description="Credit notes correct an issued invoice: from an invoice's actions, or by refunding a payment." />;
  const numbers = new Map(invoices.map((i) => [i.id, i.number ?? i.id]));
  return (
    <Table caption="Credit notes">
      <THead>
        <TR>
          <TH>Number</TH>
          <TH>Invoice</TH>
          <TH>Date</TH>
          <TH>Reason</TH>
          <TH>Outcome</TH>
          <TH numeric>Amount</TH>
          <TH>
            <span className="sr-only">PDF</span>
          </TH>
        </TR>
      </THead>
      <TBody>
        {notes.map((n) => (
          <TR key={n.id}>
            <TD className="font-medium">
              {n.number} {n.status === "void" ? <StatusBadge status="void" /> : null}
            </TD>
            <TD muted>{numbers.get(n.invoiceId) ?? n.invoiceId}</TD>
            <TD muted>{fmt.date(n.createdAt, customer.timezone)}</TD>
            <TD muted wrap>
              {n.reason.replace(/_/g, " ")}
              {n.memo ? <div className="text-xs text-slate-500">{n.memo}</div> : null}
            </TD>
            <TD>{outcomes[n.outcome] ?? n.outcome}</TD>
            <TD numeric>{fmt.money(n.amount, n.currency)}</TD>
            <TD>
              <a href={`/admin/credit-notes/${n.id}/pdf`} download className="text-[13px] font-medium text-brand-700 hover:underline" aria-label={`Download ${n.number} as PDF`}>
                PDF
              </a>
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
