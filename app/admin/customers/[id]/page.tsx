import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { listEmails } from "@/db/queries/admin";
import { findCustomer, listPaymentMethods } from "@/db/queries/customers";
import { listCustomerInvoices } from "@/db/queries/invoices";
import { listCustomerPayments } from "@/db/queries/payments";
import { listCustomerSubscriptions } from "@/db/queries/subscriptions";
import { InvoiceTable } from "@/components/invoices/InvoiceTable";
import { Badge, Card, CardBody, CardHeader, DescriptionList, PageHeader, StatusBadge, Table, TBody, TD, TEmpty, TH, THead, TR } from "@/components/ui";
import { formatDate, formatDateTime, formatMoney } from "@/lib/format";
import { requirePageUser } from "@/lib/auth/session";
import { gateway } from "@/lib/payments";

export const metadata: Metadata = { title: "Customer · Tally Admin" };

export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser("customers.read");
  const { id } = await params;
  const db = await getDb();
  const customer = await findCustomer(db, id);
  if (!customer) notFound();
  const [subscriptions, invoices, payments, methods, emails] = await Promise.all([
    listCustomerSubscriptions(db, id),
    listCustomerInvoices(db, id),
    listCustomerPayments(db, id),
    listPaymentMethods(db, id),
    listEmails(db, 20, id),
  ]);
  const money = (n: number) => formatMoney(n, customer.currency);
  const gw = gateway();
  const address = [customer.address.line1, customer.address.city, customer.address.state, customer.address.postal_code, customer.address.country].filter(Boolean).join(", ");
  return (
    <div className="space-y-6">
      <PageHeader
        title={customer.name ?? customer.email}
        description={customer.email}
        back={{ href: "/admin/customers", label: "Customers" }}
        meta={<StatusBadge status={customer.status} />}
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="min-w-0 lg:col-span-1">
          <CardHeader title="Profile" />
          <CardBody>
            <DescriptionList
              items={[
                { label: "Customer id", value: <span className="font-mono text-xs break-all">{customer.id}</span> },
                { label: "Currency", value: customer.currency.toUpperCase() },
                { label: "Time zone", value: customer.timezone },
                { label: "Address", value: address || "—" },
                { label: "Credit balance", value: money(customer.creditBalance) },
                { label: "Created", value: formatDate(customer.createdAt, customer.timezone) },
              ]}
            />
          </CardBody>
        </Card>
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card>
            <CardHeader title="Subscriptions" />
            <CardBody className="p-0">
              <Table bare>
                <THead>
                  <TR>
                    <TH>Plan</TH>
                    <TH>Status</TH>
                    <TH>Current period</TH>
                    <TH numeric>Price</TH>
                  </TR>
                </THead>
                <TBody>
                  {subscriptions.length === 0 ? (
                    <TEmpty colSpan={4}>No subscriptions.</TEmpty>
                  ) : (
                    subscriptions.map((s) => (
                      <TR key={s.id}>
                        <TD className="font-medium text-slate-900">{s.items.map((i) => i.plan.name).join(", ")}</TD>
                        <TD>
                          <StatusBadge status={s.status} />
                        </TD>
                        <TD muted>
                          {formatDate(s.currentPeriodStart, customer.timezone)} – {formatDate(s.currentPeriodEnd, customer.timezone)}
                        </TD>
                        <TD numeric>{s.items[0] ? formatMoney(s.items[0].price.unitAmount ?? 0, s.items[0].price.currency) : "—"}</TD>
                      </TR>
                    ))
                  )}
                </TBody>
              </Table>
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Invoices" />
            <CardBody className="p-0">
              <InvoiceTable bare invoices={invoices} timeZone={customer.timezone} href={(inv) => `/i/${inv.hostedToken}`} show={{ tax: true }} empty="No invoices." />
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Payments" />
            <CardBody className="p-0">
              <Table bare>
                <THead>
                  <TR>
                    <TH>Date</TH>
                    <TH>Status</TH>
                    <TH>Decline</TH>
                    <TH>Risk</TH>
                    <TH numeric>Fee</TH>
                    <TH numeric>Amount</TH>
                  </TR>
                </THead>
                <TBody>
                  {payments.length === 0 ? (
                    <TEmpty colSpan={6}>No payments.</TEmpty>
                  ) : (
                    payments.map((p) => (
                      <TR key={p.id}>
                        <TD muted>{formatDateTime(p.createdAt, customer.timezone)}</TD>
                        <TD>
                          <StatusBadge status={p.status} />
                        </TD>
                        <TD muted>{p.declineCode ?? "—"}</TD>
                        <TD muted>{p.riskLevel ? `${p.riskLevel}${p.outcome ? ` · ${p.outcome.replace("_", " ")}` : ""}` : "—"}</TD>
                        <TD numeric>{p.fee == null ? "—" : formatMoney(p.fee, p.currency)}</TD>
                        <TD numeric>
                          {formatMoney(p.amount, p.currency)}
                          {p.gatewayId && gw.dashboardUrl("payment", p.gatewayId, p.livemode) ? (
                            <a className="ml-2 text-xs text-brand-700 hover:underline" href={gw.dashboardUrl("payment", p.gatewayId, p.livemode) ?? undefined} target="_blank" rel="noreferrer">
                              Stripe ↗
                            </a>
                          ) : null}
                        </TD>
                      </TR>
                    ))
                  )}
                </TBody>
              </Table>
            </CardBody>
          </Card>
          <div className="grid gap-6 md:grid-cols-2 [&>*]:min-w-0">
            <Card>
              <CardHeader title="Payment methods" />
              <CardBody>
                {methods.length === 0 ? (
                  <p className="text-sm text-slate-600">No saved cards.</p>
                ) : (
                  <ul className="space-y-2 text-sm">
                    {methods.map((m) => (
                      <li key={m.id} className="flex items-center justify-between">
                        <span>
                          {m.brand} •••• {m.last4} · {String(m.expMonth).padStart(2, "0")}/{m.expYear}
                        </span>
                        {m.id === customer.defaultPaymentMethodId ? <Badge tone="info">Default</Badge> : null}
                      </li>
                    ))}
                  </ul>
                )}
              </CardBody>
            </Card>
            <Card>
              <CardHeader title="Emails sent" />
              <CardBody>
                {emails.length === 0 ? (
                  <p className="text-sm text-slate-600">No emails yet.</p>
                ) : (
                  <ul className="space-y-2 text-sm">
                    {emails.map((e) => (
                      <li key={e.id}>
                        <Link href={`/admin/emails/${e.id}`} className="text-brand-700 hover:underline">
                          {e.subject}
                        </Link>
                        <div className="text-xs text-slate-500">{formatDateTime(e.createdAt, customer.timezone)}</div>
                      </li>
                    ))}
                  </ul>
                )}
              </CardBody>
            </Card>
          </div>
        </div>
      </div>
    </div>
  );
}
