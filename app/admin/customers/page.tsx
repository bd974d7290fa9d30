import type { Metadata } from "next";
import { Suspense } from "react";
import { getDb } from "@/db/client";
import { customerListFacets, listCustomers } from "@/db/queries/customer-list";
import { CustomerList } from "@/components/admin/customers/CustomerList";
import { CustomerListSkeleton } from "@/components/admin/customers/CustomerListSkeleton";
import type { CustomerListItem } from "@/components/admin/customers/CustomerTable";
import { customerListQueryString, parseCustomerListParams, type CustomerListParams } from "@/components/admin/customers/list-params";
import { PageHeader, buttonClasses } from "@/components/ui";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Customers · Tally Admin" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function CustomersPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requirePageUser("customers.read");
  const params = parseCustomerListParams(await searchParams);
  const exportHref = `/admin/customers/export.csv${customerListQueryString({ ...params, cursor: null, limit: undefined })}`;
  return (
    <div>
      <PageHeader
        title="Customers"
        description="Search by name, email, customer id or external id; filter and sort. The view lives in the address bar, so it can be bookmarked or shared."
        actions={
          can(user.role, "customers.export_pii") ? (
            <a href={exportHref} download className={buttonClasses({ variant: "secondary" })}>
              <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="size-4">
                <path d="M10.75 2.75a.75.75 0 0 0-1.5 0v8.614L6.295 8.235a.75.75 0 1 0-1.09 1.03l4.25 4.5a.75.75 0 0 0 1.09 0l4.25-4.5a.75.75 0 0 0-1.09-1.03l-2.955 3.129V2.75Z" />
                <path d="M3.5 12.75a.75.75 0 0 0-1.5 0v2.5A2.75 2.75 0 0 0 4.75 18h10.5A2.75 2.75 0 0 0 18 15.25v-2.5a.75.75 0 0 0-1.5 0v2.5c0 .69-.56 1.25-1.25 1.25H4.75c-.69 0-1.25-.56-1.25-1.25v-2.5Z" />
              </svg>
              Export CSV
            </a>
          ) : undefined
        }
      />
      <Suspense fallback={<CustomerListSkeleton />}>
        <CustomerListSection params={params} />
      </Suspense>
    </div>
  );
}

async function CustomerListSection({ params }: { params: CustomerListParams }) {
  const fmt = await consoleFormatter();
  const db = await getDb();
  const [page, facets] = await Promise.all([listCustomers(db, params), customerListFacets(db)]);
  const items: CustomerListItem[] = page.rows.map((c) => ({
    id: c.id,
    name: c.name,
    email: c.email,
    subscriptionStatus: c.subscriptionStatus,
    planName: c.planName,
    dunning: c.dunning,
    country: c.country,
    currency: c.currency.toUpperCase(),
    balance: fmt.money(c.creditBalance, c.currency),
    created: fmt.date(c.createdAt),
    createdIso: c.createdAt.toISOString(),
  }));
  return <CustomerList params={params} facets={facets} items={items} nextCursor={page.nextCursor} previousCursor={page.previousCursor} />;
}
