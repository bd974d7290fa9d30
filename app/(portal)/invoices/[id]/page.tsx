import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { findInvoice } from "@/db/queries/invoices";
import { listInvoicePayments } from "@/db/queries/payments";
import { InvoiceDetail } from "@/components/invoices/InvoiceDetail";
import { PageHeader } from "@/components/ui";
import { portalCustomer } from "@/lib/portal/customer";

export const metadata: Metadata = { title: "Invoice · Tally" };

export default async function InvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { customer } = await portalCustomer();
  const db = await getDb();
  const invoice = await findInvoice(db, id);
  // Another customer's invoice answers exactly like a missing one.
  if (!invoice || invoice.customerId !== customer.id || invoice.status === "draft") notFound();
  const payments = await listInvoicePayments(db, invoice.id);
  return (
    <div className="space-y-6">
      <PageHeader title={invoice.number ?? "Invoice"} back={{ href: "/invoices", label: "Invoices" }} />
      <InvoiceDetail invoice={invoice} payments={payments} timeZone={customer.timezone} />
    </div>
  );
}
