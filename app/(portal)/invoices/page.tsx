import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listCustomerInvoices } from "@/db/queries/invoices";
import { EmptyState, PageHeader, StatusBadge, Table, TBody, TD, TH, THead, TR, ButtonLink } from "@/components/ui";
import { formatDate, formatMoney } from "@/lib/format";
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
        <Table>
          <THead>
            <TR>
              <TH>Invoice</TH>
              <TH>Date</TH>
              <TH>Status</TH>
              <TH numeric>Total</TH>
              <TH numeric>Paid</TH>
            </TR>
          </THead>
          <TBody>
            {invoices.map((inv) => (
              <TR key={inv.id}>
                <TD>
                  <Link href={`/invoices/${inv.id}`} className="font-medium text-brand-700 hover:underline">
                    {inv.number ?? "Draft"}
                  </Link>
                </TD>
                <TD>{formatDate(inv.finalizedAt ?? inv.createdAt, tz)}</TD>
                <TD>
                  <StatusBadge status={inv.status} />
                </TD>
                <TD numeric>{formatMoney(inv.total, inv.currency)}</TD>
                <TD numeric>{formatMoney(inv.amountPaid, inv.currency)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}
