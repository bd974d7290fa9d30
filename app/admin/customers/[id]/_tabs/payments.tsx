import { getDb } from "@/db/client";
import { listPaymentMethods } from "@/db/queries/customers";
import { listCustomerInvoices } from "@/db/queries/invoices";
import { listCustomerPayments, listCustomerRefunds } from "@/db/queries/payments";
import { cardLabel } from "@/components/admin/customer/format";
import { RefundDialog } from "@/components/admin/customer/MoneyActions";
import { Badge, Card, CardBody, CardHeader, StatusBadge, Table, TBody, TD, TEmpty, TH, THead, TR } from "@/components/ui";
import { formatDateTime, formatMoney } from "@/lib/format";
import { gateway } from "@/lib/payments";
import { getSetting } from "@/lib/services/settings/settings";
import type { TabProps } from "./context";

export async function PaymentsTab({ customer, role, allowed }: TabProps) {
  const db = await getDb();
  const [payments, refunds, methods, invoices, limits] = await Promise.all([
    listCustomerPayments(db, customer.id, 100),
    listCustomerRefunds(db, customer.id),
    listPaymentMethods(db, customer.id),
    listCustomerInvoices(db, customer.id),
    role === "support" ? getSetting(db, "refunds.support_limit") : Promise.resolve(null),
  ]);
  const cards = new Map(methods.map((m) => [m.id, cardLabel(m)]));
  const numbers = new Map(invoices.map((i) => [i.id, i.number ?? i.id]));
  const gw = gateway();
  return (
    <div className="space-y-6">
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
                <TH>
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
                  return (
                    <TR key={p.id}>
                      <TD muted>{formatDateTime(p.createdAt)}</TD>
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
                      <TD numeric>{formatMoney(p.amount, p.currency)}</TD>
                      <TD numeric muted>
                        {p.amountRefunded > 0 ? formatMoney(p.amountRefunded, p.currency) : "—"}
                      </TD>
                      <TD align="right">
                        {allowed.refund && refundable ? (
                          <RefundDialog
                            customerId={customer.id}
                            payment={{ id: p.id, amount: p.amount, refunded: p.amountRefunded, currency: p.currency, card, invoiceLabel: numbers.get(p.invoiceId) ?? "its invoice" }}
                            limit={limits ? (limits[p.currency] ?? 0) : null}
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
                      <TD muted>{formatDateTime(r.createdAt)}</TD>
                      <TD>
                        <StatusBadge status={r.status} />
                        {r.failureMessage ? <div className="mt-1 text-xs text-danger-700">{r.failureMessage}</div> : null}
                      </TD>
                      <TD numeric>{formatMoney(r.amount, r.currency)}</TD>
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
