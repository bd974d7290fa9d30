import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { searchCustomers } from "@/db/queries/admin";
import { Button, Input, PageHeader, StatusBadge, Table, TBody, TD, TEmpty, TH, THead, TR } from "@/components/ui";
import { formatDate, formatMoney } from "@/lib/format";
import { requirePageUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Customers · Tally Admin" };

export default async function CustomersPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  await requirePageUser("customers.read");
  const { q = "" } = await searchParams;
  const rows = await searchCustomers(await getDb(), q);
  return (
    <div className="space-y-6">
      <PageHeader title="Customers" description="Search by name, email, customer id or external id." />
      <form className="flex max-w-lg items-end gap-2" role="search">
        <Input label="Search customers" hideLabel name="q" defaultValue={q} placeholder="Name, email or id" wrapperClassName="flex-1" />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      <Table>
        <THead>
          <TR>
            <TH>Customer</TH>
            <TH>Subscription</TH>
            <TH>Currency</TH>
            <TH numeric>Credit balance</TH>
            <TH>Created</TH>
          </TR>
        </THead>
        <TBody>
          {rows.length === 0 ? (
            <TEmpty colSpan={5}>{q ? `No customers match “${q}”.` : "No customers yet."}</TEmpty>
          ) : (
            rows.map(({ customer, subscriptionStatus }) => (
              <TR key={customer.id}>
                <TD>
                  <Link href={`/admin/customers/${customer.id}`} className="font-medium text-brand-700 hover:underline">
                    {customer.name ?? customer.email}
                  </Link>
                  <div className="text-xs text-slate-500">{customer.email}</div>
                </TD>
                <TD>{subscriptionStatus ? <StatusBadge status={subscriptionStatus} /> : <span className="text-slate-400">None</span>}</TD>
                <TD className="uppercase">{customer.currency}</TD>
                <TD numeric>{formatMoney(customer.creditBalance, customer.currency)}</TD>
                <TD muted>{formatDate(customer.createdAt)}</TD>
              </TR>
            ))
          )}
        </TBody>
      </Table>
    </div>
  );
}
