import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listCustomerInvoices } from "@/db/queries/invoices";
import { ButtonLink, EmptyState, PageHeader } from "@/components/ui";
import { InvoiceTable } from "@/components/invoices/InvoiceTable";
import { portalCustomer } from "@/lib/portal/customer";

export const metadata: Metadata = { title: "Invoices · Tally" };

export default async function InvoicesPage() {
  const { customer } = await portalCustomer();
  const invoices = await listCustomerInvoices(await getDb(), customer.id);
  const tz = customer.timezone;
  return (
    <div className="space-y-6">
      <PageHeader title="Invoices" description="Every invoice and receipt for your account." />
      {invoices.length === 0 ? (
        <EmptyState title="No invoices yet" description="Your invoices appear here once you subscribe." action={<ButtonLink href="/plans">See plans</ButtonLink>} />
      ) : (
        <InvoiceTable invoices={invoices} timeZone={tz} href={(inv) => `/invoices/${inv.id}`} show={{ paid: true }} />
      )}
    </div>
  );
}
