import Link from "next/link";
import { getDb } from "@/db/client";
import { listInvoiceCreditNotes } from "@/db/queries/credit-notes";
import { findPaymentMethod } from "@/db/queries/customers";
import { findInvoice, listCustomerInvoices } from "@/db/queries/invoices";
import { listInvoicePayments } from "@/db/queries/payments";
import { cardLabel } from "@/components/admin/customer/format";
import { InvoiceActions } from "@/components/admin/customer/InvoiceActions";
import { Card, CardBody, CardHeader, DescriptionList, EmptyState, StatusBadge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { customerHref, type TabProps } from "./context";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export async function InvoicesTab({ customer, allowed, params }: TabProps) {
  const fmt = await consoleFormatter();
  const db = await getDb();
  const invoices = (await listCustomerInvoices(db, customer.id)).filter((i) => i.status !== "draft");
  if (invoices.length === 0) return <EmptyState title="No invoices" description="Invoices appear here once a subscription bills or an invoice is issued." />;
  const selectedId = params.invoice && invoices.some((i) => i.id === params.invoice) ? params.invoice : null;
  const date = (d: Date | null) => fmt.date(d, customer.timezone);
  return (
    <div className="space-y-6">
      {selectedId ? <InvoicePanel customer={customer} allowed={allowed} invoiceId={selectedId} /> : null}
      <Table caption="Invoices">
        <THead>
          <TR>
            <TH>Invoice</TH>
            <TH>Status</TH>
            <TH>Date</TH>
            <TH>Due</TH>
            <TH numeric>Total</TH>
            <TH numeric>Owed</TH>
          </TR>
        </THead>
        <TBody>
          {invoices.map((inv) => (
            <TR key={inv.id} interactive className={inv.id === selectedId ? "bg-brand-50/60" : undefined}>
              <TD>
                <Link href={customerHref(customer.id, { tab: "invoices", invoice: inv.id })} aria-current={inv.id === selectedId ? "true" : undefined} className="font-medium text-brand-700 hover:underline">
                  {inv.number ?? inv.id}
                </Link>
              </TD>
              <TD>
                <StatusBadge status={inv.status} />
              </TD>
              <TD muted>{date(inv.finalizedAt ?? inv.createdAt)}</TD>
              <TD muted>{inv.status === "open" ? date(inv.dueDate) : "—"}</TD>
              <TD numeric>{fmt.money(inv.total, inv.currency)}</TD>
              <TD numeric className={inv.amountRemaining > 0 ? "font-medium" : "text-slate-500"}>
                {fmt.money(inv.amountRemaining, inv.currency)}
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}

async function InvoicePanel({ customer, allowed, invoiceId }: Pick<TabProps, "customer" | "allowed"> & { invoiceId: string }) {
  const fmt = await consoleFormatter();
  const db = await getDb();
  const [invoice, payments, notes, defaultCard] = await Promise.all([
    findInvoice(db, invoiceId),
    listInvoicePayments(db, invoiceId),
    listInvoiceCreditNotes(db, invoiceId),
    customer.defaultPaymentMethodId ? findPaymentMethod(db, customer.defaultPaymentMethodId) : Promise.resolve(undefined),
  ]);
  if (!invoice) return null;
  const m = (n: number) => fmt.money(n, invoice.currency);
  const label = invoice.number ?? invoice.id;
  const cardPayments = payments.filter((p) => p.status === "succeeded" && (p.gateway === "sandbox" || p.gateway === "stripe"));
  const refundable = cardPayments.reduce((sum, p) => sum + Math.max(0, p.amount - p.amountRefunded), 0);
  const paidWith = cardPayments[0]?.paymentMethodId ? await findPaymentMethod(db, cardPayments[0].paymentMethodId) : undefined;
  return (
    <Card aria-label={`Invoice ${label}`}>
      <CardHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            Invoice {label} <StatusBadge status={invoice.status} />
          </span>
        }
        description={`${m(invoice.total)} total · ${m(invoice.amountRemaining)} owed${invoice.amountCredited > 0 ? ` · ${m(invoice.amountCredited)} credited` : ""}`}
        actions={
          <>
            <Link href={`/i/${invoice.hostedToken}`} className="text-[13px] font-medium text-brand-700 hover:underline" target="_blank" rel="noreferrer">
              Hosted page ↗
            </Link>
            <Link href={customerHref(customer.id, { tab: "invoices" })} className="text-[13px] font-medium text-slate-600 hover:text-slate-900 hover:underline">
              Close
            </Link>
          </>
        }
      />
      <CardBody className="space-y-5">
        <InvoiceActions reader={fmt.reader}
          customerId={customer.id}
          customerEmail={customer.email}
          invoice={{
            id: invoice.id,
            label,
            status: invoice.status,
            currency: invoice.currency,
            total: invoice.total,
            amountRemaining: invoice.amountRemaining,
            amountPaid: invoice.amountPaid,
            creditApplied: invoice.creditApplied,
            refundableByCard: refundable,
            paidWithCard: cardLabel(paidWith),
          }}
          defaultCard={cardLabel(defaultCard)}
          can={{ void: allowed.void, send: allowed.send, retry: allowed.retry, creditNote: allowed.creditNote, manualPayment: allowed.manualPayment }}
        />
        <div className="grid gap-6 lg:grid-cols-2 [&>*]:min-w-0">
          <div>
            <h3 className="mb-2 text-[13px] font-semibold text-slate-900">Lines</h3>
            <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 text-sm">
              {invoice.lines.map((l) => (
                <li key={l.id} className="flex items-start justify-between gap-4 px-3 py-2">
                  <span className="min-w-0 text-slate-700">{l.description}</span>
                  <span className="shrink-0 tabular-nums">{m(l.amount)}</span>
                </li>
              ))}
              <li className="flex justify-between gap-4 bg-slate-50 px-3 py-2 font-medium">
                <span>Total{invoice.tax > 0 ? ` (tax ${m(invoice.tax)})` : ""}</span>
                <span className="tabular-nums">{m(invoice.total)}</span>
              </li>
            </ul>
          </div>
          <div className="space-y-4">
            <DescriptionList
              items={[
                { label: "Finalized", value: fmt.date(invoice.finalizedAt, customer.timezone) },
                { label: "Due", value: fmt.date(invoice.dueDate, customer.timezone) },
                { label: "Collection", value: invoice.collectionMethod === "charge_automatically" ? "Charged automatically" : "Invoice sent" },
                { label: "Next retry", value: invoice.nextPaymentAttemptAt ? fmt.dateTime(invoice.nextPaymentAttemptAt) : "None planned" },
                { label: "Credit used", value: m(invoice.creditApplied) },
                ...(invoice.debitApplied > 0 ? [{ label: "Carried in (below minimum charge)", value: m(invoice.debitApplied) }] : []),
                ...(invoice.carriedToBalance > 0 ? [{ label: "Carried to balance (below minimum charge)", value: m(invoice.carriedToBalance) }] : []),
              ]}
            />
            {payments.length > 0 ? (
              <div>
                <h3 className="mb-2 text-[13px] font-semibold text-slate-900">Payment attempts</h3>
                <ul className="space-y-1.5 text-sm">
                  {payments.map((p) => (
                    <li key={p.id} className="flex flex-wrap items-center justify-between gap-2">
                      <span className="flex items-center gap-2">
                        <StatusBadge status={p.status} /> <span className="text-slate-600">{fmt.dateTime(p.createdAt)}</span>
                      </span>
                      <span className="tabular-nums">
                        {m(p.amount)}
                        {p.declineCode ? <span className="ml-2 text-xs text-danger-700">{p.declineCode.replace(/_/g, " ")}</span> : null}
                        {p.amountRefunded > 0 ? <span className="ml-2 text-xs text-slate-600">{m(p.amountRefunded)} refunded</span> : null}
                      </span>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {notes.length > 0 ? (
              <div>
                <h3 className="mb-2 text-[13px] font-semibold text-slate-900">Credit notes</h3>
                <ul className="space-y-1 text-sm">
                  {notes.map((n) => (
                    <li key={n.id} className="flex justify-between gap-2">
                      <span>
                        {n.number} · {n.outcome.replace(/_/g, " ")}
                      </span>
                      <span className="tabular-nums">{m(n.amount)}</span>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </div>
        </div>
      </CardBody>
    </Card>
  );
}
