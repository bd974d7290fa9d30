import { getDb } from "@/db/client";
import { listPaymentMethods } from "@/db/queries/customers";
import { listCustomerInvoices } from "@/db/queries/invoices";
import { listCustomerPayments, listCustomerRefunds } from "@/db/queries/payments";
import { cardLabel } from "@/components/admin/customer/format";
import { RefundDialog } from "@/components/admin/customer/MoneyActions";
import { Badge, Card, CardBody, CardHeader, StatusBadge, Table, TBody, TD, TEmpty, TH, THead, TR } from "@/components/ui";
import { gateway } from "@/lib/payments";
import { getSetting } from "@/lib/services/settings/settings";
import { listOpenRefundRequests } from "@/db/queries/notes";
import { ResolveEscalationDialog } from "@/components/admin/customer/NoteForm";
import { refundLimitFor } from "@/lib/auth/refund-limit";
import { viewerZone } from "@/lib/auth/viewer-zone";
import type { TabProps } from "./context";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export async function PaymentsTab({ customer, role, allowed }: TabProps) {
  const fmt = await consoleFormatter();
  const db = await getDb();
  const [payments, refunds, methods, invoices, limits, requests, { timeZone }] = await Promise.all([
    listCustomerPayments(db, customer.id, 100),
    listCustomerRefunds(db, customer.id),
    listPaymentMethods(db, customer.id),
    listCustomerInvoices(db, customer.id),
    getSetting(db, "refunds.support_limit"),
    listOpenRefundRequests(db, { customerId: customer.id }),
    viewerZone(),
  ]);
  const cards = new Map(methods.map((m) => [m.id, cardLabel(m)]));
  const numbers = new Map(invoices.map((i) => [i.id, i.number ?? i.id]));
  const paid = new Map(payments.map((p) => [p.id, p]));
  const requested = new Map(requests.map((r) => [r.note.paymentId, r]));
  const sentAt = (at: Date) => fmt.dateTime(at, timeZone, { zoneName: true });
  const gw = gateway();
  return (
    <div className="space-y-6">
      {requests.length > 0 ? (
        <Card aria-label="Refund requests">
          <CardHeader
            title={`Refund ${requests.length === 1 ? "request" : "requests"} waiting for a billing admin`}
            description={allowed.resolve ? "Above support's refund limit. Refund the payment below, then resolve the request with what you did." : "Sent to billing admins. They refund the payment or answer here."}
          />
          <ul className="divide-y divide-slate-100">
            {requests.map(({ note, authorEmail, authorName }) => {
              const payment = note.paymentId ? paid.get(note.paymentId) : undefined;
              const currency = payment?.currency ?? customer.currency;
              return (
                <li key={note.id} className="flex flex-col gap-2 px-5 py-3 text-sm sm:flex-row sm:items-center sm:justify-between">
                  <div className="min-w-0">
                    <p className="font-medium text-slate-900">
                      Refund {fmt.money(note.refundAmount ?? 0, currency)}
                      {payment ? ` of the ${fmt.money(payment.amount, currency)} payment on ${numbers.get(payment.invoiceId) ?? payment.invoiceId}` : ""}
                    </p>
                    <p className="text-[13px] text-slate-600">
                      Asked by {authorName ?? authorEmail ?? "staff"} · {sentAt(note.createdAt)}
                    </p>
                  </div>
                  <div className="flex shrink-0 items-center gap-2">
                    <Badge tone="warning" dot>
                      {allowed.resolve ? "Open" : "Sent to billing admins · open"}
                    </Badge>
                    {allowed.resolve ? <ResolveEscalationDialog customerId={customer.id} escalationId={note.id} excerpt={note.body.length > 120 ? `${note.body.slice(0, 119)}…` : note.body} /> : null}
                  </div>
                </li>
              );
            })}
          </ul>
        </Card>
      ) : null}
      <Card>
        <CardHeader title="Payments" description="Card charges and payments recorded by hand, newest first." />
        <div>
          <Table bare caption="Payments">
            <THead>
              <TR>
                <TH>Date</TH>
                <TH>Invoice</TH>
                <TH>Status</TH>
                <TH>Method</TH>
                <TH numeric>Amount</TH>
                <TH numeric>Refunded</TH>
                {/* relative: the hidden label is positioned inside the scrolling table, not against the page (which it widened at 375 px). */}
                <TH className="relative">
                  <span className="sr-only">Actions</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {payments.length === 0 ? (
                <TEmpty colSpan={7}>No payments yet.</TEmpty>
              ) : (
                payments.map((p) => {
                  const card = p.paymentMethodId ? (cards.get(p.paymentMethodId) ?? "Card (removed)") : null;
                  const refundable = p.status === "succeeded" && p.gateway !== "manual" && p.amount > p.amountRefunded;
                  const dashboard = p.gatewayId ? gw.dashboardUrl("payment", p.gatewayId, p.livemode) : null;
                  const request = requested.get(p.id);
                  return (
                    <TR key={p.id}>
                      <TD muted>{fmt.dateTime(p.createdAt)}</TD>
                      <TD muted>{numbers.get(p.invoiceId) ?? p.invoiceId}</TD>
                      <TD>
                        <span className="flex items-center gap-2">
                          <StatusBadge status={p.status} />
                          {p.declineCode ? <span className="text-xs text-danger-700">{p.declineCode.replace(/_/g, " ")}</span> : null}
                          {p.riskLevel && p.riskLevel !== "normal" ? <Badge tone="warning">Risk {p.riskLevel}</Badge> : null}
                        </span>
                      </TD>
                      <TD muted>
                        {p.gateway === "manual" ? p.method.replace("_", " ") : (card ?? "Card")}
                        {dashboard ? (
                          <a className="ml-2 text-xs text-brand-700 hover:underline" href={dashboard} target="_blank" rel="noreferrer">
                            Stripe ↗
                          </a>
                        ) : null}
                      </TD>
                      <TD numeric>{fmt.money(p.amount, p.currency)}</TD>
                      <TD numeric muted>
                        {p.amountRefunded > 0 ? fmt.money(p.amountRefunded, p.currency) : "—"}
                      </TD>
                      <TD align="right">
                        {allowed.refund && refundable ? (
                          <RefundDialog reader={fmt.reader}
                            customerId={customer.id}
                            payment={{ id: p.id, amount: p.amount, refunded: p.amountRefunded, currency: p.currency, card, invoiceLabel: numbers.get(p.invoiceId) ?? "its invoice" }}
                            limit={refundLimitFor(role, limits, p.currency)}
                            canEscalate={allowed.escalate}
                            openRequest={request ? { amount: request.note.refundAmount ?? 0, sentAt: sentAt(request.note.createdAt) } : null}
                          />
                        ) : null}
                      </TD>
                    </TR>
                  );
                })
              )}
            </TBody>
          </Table>
        </div>
      </Card>
      <div className="grid gap-6 lg:grid-cols-2 [&>*]:min-w-0">
        <Card>
          <CardHeader title="Refunds" />
          <div>
            <Table bare caption="Refunds">
              <THead>
                <TR>
                  <TH>Date</TH>
                  <TH>Status</TH>
                  <TH numeric>Amount</TH>
                </TR>
              </THead>
              <TBody>
                {refunds.length === 0 ? (
                  <TEmpty colSpan={3}>No refunds.</TEmpty>
                ) : (
                  refunds.map((r) => (
                    <TR key={r.id}>
                      <TD muted>{fmt.dateTime(r.createdAt)}</TD>
                      <TD>
                        <StatusBadge status={r.status} />
                        {r.failureMessage ? <div className="mt-1 text-xs text-danger-700">{r.failureMessage}</div> : null}
                      </TD>
                      <TD numeric>{fmt.money(r.amount, r.currency)}</TD>
                    </TR>
                  ))
                )}
              </TBody>
            </Table>
          </div>
        </Card>
        <Card>
          <CardHeader title="Payment methods" />
          <CardBody>
            {methods.length === 0 ? (
              <p className="text-sm text-slate-600">No saved cards.</p>
            ) : (
              <ul className="space-y-2 text-sm">
                {methods.map((m) => (
                  <li key={m.id} className="flex items-center justify-between gap-3">
                    <span>
                      {cardLabel(m)} · expires {String(m.expMonth).padStart(2, "0")}/{m.expYear}
                    </span>
                    {m.id === customer.defaultPaymentMethodId ? <Badge tone="info">Default</Badge> : null}
                  </li>
                ))}
              </ul>
            )}
          </CardBody>
        </Card>
      </div>
    </div>
  );
}
