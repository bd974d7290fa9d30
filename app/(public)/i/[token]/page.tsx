import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { findCustomer } from "@/db/queries/customers";
import { findInvoiceByHostedToken } from "@/db/queries/invoices";
import { listInvoicePayments } from "@/db/queries/payments";
import { DownloadPdfLink } from "@/components/invoices/DownloadPdfLink";
import { InvoiceDetail } from "@/components/invoices/InvoiceDetail";
import { Wordmark } from "@/components/ui";
import { formatterFor } from "@/lib/format";
import { businessLocale, customerFormatter } from "@/lib/services/readers/formatters";

export const metadata: Metadata = { title: "Invoice · Tally", robots: { index: false } };

/** The hosted invoice page: reachable by its unguessable token alone. */
export default async function HostedInvoicePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const db = await getDb();
  const invoice = await findInvoiceByHostedToken(db, token);
  if (!invoice || invoice.status === "draft") notFound();
  const [customer, payments] = await Promise.all([findCustomer(db, invoice.customerId), listInvoicePayments(db, invoice.id)]);
  const fmt = customer ? await customerFormatter(db, customer) : formatterFor({ locale: await businessLocale(db) });
  return (
    <main className="mx-auto max-w-3xl space-y-6 px-4 py-10">
      <Wordmark name="Tally" suffix="Billing" />
      <h1 className="sr-only">{invoice.number ? `Invoice ${invoice.number}` : "Invoice"}</h1>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-600">Billed to {customer?.name ?? customer?.email}</p>
        <DownloadPdfLink href={`/i/${token}/pdf`} />
      </div>
      <InvoiceDetail invoice={invoice} payments={payments} timeZone={customer?.timezone ?? "UTC"} fmt={fmt} />
    </main>
  );
}
