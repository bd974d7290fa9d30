import Link from "next/link";
import { getDb } from "@/db/client";
import { customerTimeline } from "@/db/queries/customer-timeline";
import { findPaymentMethod, listBalanceTransactions } from "@/db/queries/customers";
import { listCustomerInvoices } from "@/db/queries/invoices";
import { listOpenEscalations } from "@/db/queries/notes";
import { listCustomerSubscriptions } from "@/db/queries/subscriptions";
import { cardLabel, priceLabel } from "@/components/admin/customer/format";
import { FieldsForm } from "@/components/admin/FieldsForm";
import { InvoiceTable } from "@/components/invoices/InvoiceTable";
import { saveTaxExemptionAction } from "@/app/admin/settings/tax/actions";
import { Alert, Badge, Card, CardHeader, DescriptionList, StatusBadge, Table, TBody, TD, TEmpty, TH, THead, TR } from "@/components/ui";
import { viewerZone } from "@/lib/auth/viewer-zone";
import { customerHref, type TabProps } from "./context";
import { consoleFormatter } from "@/lib/auth/console-formatter";

const balanceTypes: Record<string, string> = {
  credit_grant: "Credit granted",
  applied_to_invoice: "Used on an invoice",
  proration_credit: "Unused time",
  credit_note: "Credit note",
  invoice_excess: "Invoice credit",
  adjustment: "Adjustment",
};

export async function OverviewTab({ customer, allowed }: TabProps) {
  const fmt = await consoleFormatter();
  const db = await getDb();
  const [ledger, subscriptions, escalations, recent, card, invoices, { timeZone }] = await Promise.all([
    listBalanceTransactions(db, customer.id, 6),
    listCustomerSubscriptions(db, customer.id),
    listOpenEscalations(db, { customerId: customer.id, limit: 5 }),
    customerTimeline(db, { customerId: customer.id, limit: 6, fmt }),
    customer.defaultPaymentMethodId ? findPaymentMethod(db, customer.defaultPaymentMethodId) : Promise.resolve(undefined),
    listCustomerInvoices(db, customer.id, 6),
    viewerZone(),
  ]);
  const money = (n: number) => fmt.money(n, customer.currency);
  const a = customer.address;
  const address = [a.line1, a.line2, [a.city, a.state, a.postal_code].filter(Boolean).join(" "), a.country].filter(Boolean);
  return (
    <div className="space-y-6">
      {escalations.length > 0 ? (
        <Alert tone="warning" title={`Escalated to a billing admin${escalations.length > 1 ? ` (${escalations.length} open)` : ""}`} action={<Link className="text-sm font-medium underline" href={customerHref(customer.id, { tab: "notes" })}>See notes</Link>}>
          “{escalations[0]!.note.body.length > 160 ? `${escalations[0]!.note.body.slice(0, 159)}…` : escalations[0]!.note.body}” — {escalations[0]!.authorEmail ?? "staff"}, {fmt.dateTime(escalations[0]!.note.createdAt)}
        </Alert>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-5 [&>*]:min-w-0">
        <Card className="lg:col-span-3">
          <CardHeader title="Billing details" />
          <div className="px-5 py-1">
            <DescriptionList
              items={[
                { label: "Name", value: customer.name ?? "—" },
                { label: "Billing email", value: customer.email },
                { label: "Address", value: address.length ? <span className="whitespace-pre-line">{address.join("\n")}</span> : "—" },
                {
                  label: "Tax IDs",
                  value:
                    customer.taxIds.length === 0 ? (
                      "None"
                    ) : (
                      <ul className="space-y-1">
                        {customer.taxIds.map((t) => (
                          <li key={`${t.type}:${t.value}`} className="flex flex-wrap items-center gap-2">
                            <span className="font-mono text-[13px]">{t.value}</span>
                            <span className="text-xs text-slate-600 uppercase">{t.type.replace(/_/g, " ")}</span>
                            {t.verified ? <Badge tone="success">Verified</Badge> : <Badge tone="warning">Unverified</Badge>}
                          </li>
                        ))}
                      </ul>
                    ),
                },
                { label: "Tax status", value: customer.taxExempt === "none" ? "Taxable" : customer.taxExempt === "exempt" ? `Exempt${customer.taxExemptionCertificate ? ` · certificate ${customer.taxExemptionCertificate}` : ""}` : "Reverse charge" },
                { label: "Default card", value: cardLabel(card) ?? "None saved" },
                { label: "Currency · time zone", value: `${customer.currency.toUpperCase()} · ${customer.timezone}` },
                { label: "External id", value: customer.externalId ? <span className="font-mono text-[13px]">{customer.externalId}</span> : "—" },
                { label: "Customer id", value: <span className="font-mono text-[13px] break-all">{customer.id}</span> },
              ]}
            />
          </div>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader
            title="Credit balance"
            description={customer.creditBalance < 0 ? `${money(-customer.creditBalance)} owed from invoices below the minimum card charge: added to the next invoice.` : `${money(customer.creditBalance)} available for the next invoices.`}
          />
          <div>
            <Table bare caption="Recent balance changes">
              <THead>
                <TR>
                  <TH>Change</TH>
                  <TH numeric>Amount</TH>
                </TR>
              </THead>
              <TBody>
                {ledger.length === 0 ? (
                  <TEmpty colSpan={2}>No credit yet.</TEmpty>
                ) : (
                  ledger.map((t) => (
                    <TR key={t.id}>
                      <TD wrap>
                        <div className="text-slate-900">{balanceTypes[t.type] ?? t.type}</div>
                        <div className="text-xs text-slate-600">
                          {t.description} · {fmt.date(t.createdAt, customer.timezone)}
                        </div>
                      </TD>
                      <TD numeric className={t.amount > 0 ? "text-success-700" : undefined}>
                        {t.amount > 0 ? "+" : ""}
                        {money(t.amount)}
                      </TD>
                    </TR>
                  ))
                )}
              </TBody>
            </Table>
          </div>
        </Card>
      </div>
      <Card id="tax-exemption" className="scroll-mt-20">
        <CardHeader title="Tax exemption" description="An exempt customer (a charity, a reseller with a certificate) is charged no tax on invoices issued from now on; keep the certificate's reference. Reverse charge: an EU business that accounts for the VAT itself." />
        <FieldsForm
          action={saveTaxExemptionAction}
          readOnly={!allowed.taxExemption}
          submitLabel="Save tax status"
          hidden={{ customerId: customer.id }}
          fields={[
            {
              kind: "select",
              name: "taxExempt",
              label: "Tax status",
              defaultValue: customer.taxExempt,
              options: [
                { value: "none", label: "Taxable" },
                { value: "exempt", label: "Exempt (certificate on file)" },
                { value: "reverse", label: "Reverse charge (EU business)" },
              ],
            },
            { kind: "text", name: "certificate", label: "Exemption certificate", defaultValue: customer.taxExemptionCertificate ?? "", placeholder: "e.g. DGR-2026-0042", hint: "Required when exempt." },
          ]}
        />
      </Card>
      <div className="grid gap-6 lg:grid-cols-2 [&>*]:min-w-0">
        <Card>
          <CardHeader title="Subscriptions" actions={<Link className="text-[13px] font-medium text-brand-700 hover:underline" href={customerHref(customer.id, { tab: "subscriptions" })}>Manage</Link>} />
          <div>
            {subscriptions.length === 0 ? (
              <p className="px-5 py-6 text-sm text-slate-600">No subscriptions.</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {subscriptions.slice(0, 5).map((s) => (
                  <li key={s.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 px-5 py-3 text-sm">
                    <div className="min-w-0">
                      <div className="font-medium text-slate-900">{s.items.map((i) => (i.quantity > 1 ? `${i.quantity} × ${i.plan.name}` : i.plan.name)).join(", ")}</div>
                      <div className="text-xs text-slate-600">
                        {priceLabel(s.items, s.currency, fmt)} · {s.cancelAtPeriodEnd ? "cancels" : s.status === "canceled" ? "ended" : "renews"} {fmt.date(s.endedAt ?? s.currentPeriodEnd, customer.timezone)}
                      </div>
                    </div>
                    <StatusBadge status={s.cancelAtPeriodEnd && s.status !== "canceled" ? "canceling" : s.status} />
                  </li>
                ))}
              </ul>
            )}
          </div>
        </Card>
        <Card>
          <CardHeader title="Recent activity" actions={<Link className="text-[13px] font-medium text-brand-700 hover:underline" href={customerHref(customer.id, { tab: "timeline" })}>Full timeline</Link>} />
          <div>
            {recent.entries.length === 0 ? (
              <p className="px-5 py-6 text-sm text-slate-600">Nothing yet.</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {recent.entries.map((e) => (
                  <li key={e.key} className="px-5 py-2.5 text-sm">
                    <div className="text-slate-900">{e.summary}</div>
                    <div className="text-xs text-slate-600">
                      <time dateTime={e.at.toISOString()} title={`Customer's time: ${fmt.dateTime(e.at, customer.timezone, { zoneName: true })}`}>
                        {fmt.dateTime(e.at, timeZone, { zoneName: true })}
                      </time>{" "}
                      · {e.actor}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </Card>
      </div>
      <Card>
        <CardHeader title="Recent invoices" actions={<Link className="text-[13px] font-medium text-brand-700 hover:underline" href={customerHref(customer.id, { tab: "invoices" })}>All invoices</Link>} />
        <InvoiceTable fmt={fmt}
          bare
          invoices={invoices.filter((i) => i.status !== "draft").slice(0, 5)}
          timeZone={customer.timezone}
          href={(inv) => customerHref(customer.id, { tab: "invoices", invoice: inv.id })}
          show={{ tax: true }}
          empty="No invoices."
        />
      </Card>
    </div>
  );
}
