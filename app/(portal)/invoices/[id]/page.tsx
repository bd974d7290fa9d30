import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { listPaymentMethods } from "@/db/queries/customers";
import { findInvoice } from "@/db/queries/invoices";
import { listInvoicePayments } from "@/db/queries/payments";
import { DownloadPdfLink } from "@/components/invoices/DownloadPdfLink";
import { InvoiceDetail, invoiceDates } from "@/components/invoices/InvoiceDetail";
import { PayInvoiceForm } from "@/components/invoices/PayInvoiceForm";
import { PageNotice } from "@/components/portal/PageNotice";
import { Alert, ButtonLink, Card, CardBody, CardHeader, PageHeader, StatusBadge } from "@/components/ui";
import { portalCustomer } from "@/lib/portal/customer";
import { pageNotice } from "@/lib/portal/notice";
import { invoiceTierWords } from "@/lib/services/usage/portal-usage";
import { confirmPath, issueConfirmToken } from "@/lib/services/payments/sca/confirm-token";
import { payInvoiceAction } from "./actions";
import { portalFormatter } from "@/lib/portal/formatter";

export const metadata: Metadata = { title: "Invoice · Tally" };

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export default async function InvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const fmt = await portalFormatter();
  const { id } = await params;
  const { customer } = await portalCustomer();
  const db = await getDb();
  const invoice = await findInvoice(db, id);
  // Another customer's invoice answers exactly like a missing one.
  if (!invoice || invoice.customerId !== customer.id || invoice.status === "draft") notFound();
  const [payments, methods, notice, lineTiers] = await Promise.all([
    listInvoicePayments(db, invoice.id),
    listPaymentMethods(db, customer.id),
    pageNotice(`/invoices/${invoice.id}`),
    invoiceTierWords(db, invoice, fmt),
  ]);
  const payable = (invoice.status === "open" || invoice.status === "uncollectible") && invoice.amountRemaining > 0;
  const amount = fmt.money(invoice.amountRemaining, invoice.currency);
  const latest = payments[0];
  const awaitingBank = payable && latest?.status === "requires_action" ? latest : null;
  const cards = methods
    .map((m) => ({ id: m.id, label: `${capitalize(m.brand)} ending ${m.last4}`, detail: `Expires ${String(m.expMonth).padStart(2, "0")}/${m.expYear}`, isDefault: m.id === customer.defaultPaymentMethodId }))
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  const addCardHref = `/payment-methods/add?return=${encodeURIComponent(`/invoices/${invoice.id}`)}`;

  return (
    <div className="space-y-6">
      <PageHeader
        title={invoice.number ? `Invoice ${invoice.number}` : "Invoice"}
        meta={<StatusBadge status={invoice.status} />}
        back={{ href: "/invoices", label: "Invoices" }}
        description={[
          payable ? `${amount} due${invoice.dueDate ? ` by ${fmt.date(invoice.dueDate, customer.timezone)}` : ""}` : null,
          invoiceDates(invoice, customer.timezone, fmt),
          invoice.carriedToBalance > 0 ? `${fmt.money(invoice.carriedToBalance, invoice.currency)} added to your next invoice` : null,
        ]
          .filter(Boolean)
          .join(" · ")}
        actions={<DownloadPdfLink href={`/invoices/${invoice.id}/pdf`} />}
      />
      {notice ? <PageNotice key={notice.text} text={notice.text} tone={notice.tone} /> : null}
      {awaitingBank ? (
        <Alert
          tone="warning"
          title="Your bank asked you to confirm a payment"
          action={<ButtonLink href={confirmPath(issueConfirmToken(awaitingBank.id, new Date()).token)}>Confirm payment</ButtonLink>}
        >
          The payment of {fmt.money(awaitingBank.amount, awaitingBank.currency)} waits for your confirmation. Nothing has been charged yet.
        </Alert>
      ) : null}
      {payable ? (
        <Card>
          <CardHeader title="Pay this invoice" description={`${amount} is due now.`} />
          <CardBody>
            <PayInvoiceForm action={payInvoiceAction} invoiceId={invoice.id} amount={amount} cards={cards} addCardHref={addCardHref} />
          </CardBody>
        </Card>
      ) : null}
      <InvoiceDetail fmt={fmt} invoice={invoice} payments={payments} timeZone={customer.timezone} namedByPage lineTiers={lineTiers} />
    </div>
  );
}
