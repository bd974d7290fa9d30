"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useTransition, type MouseEvent, type ReactNode } from "react";
import { ButtonLink, Card, EmptyState, Select, Spinner, buttonClasses, cn } from "@/components/ui";
import type { CustomerListFacets, CustomerListSort } from "@/db/queries/customer-list";
import { CustomerFilters } from "./CustomerFilters";
import { CustomerTable, type CustomerListItem } from "./CustomerTable";
import { customerListHref, customerListPageSizes, firstDirection, firstPage, hasFilters, type CustomerListParams } from "./list-params";

export interface CustomerListProps {
  params: CustomerListParams;
  facets: CustomerListFacets;
  items: CustomerListItem[];
  nextCursor: string | null;
  previousCursor: string | null;
}

const sortLabels: Record<CustomerListSort, string> = { created: "created date", name: "name", email: "email", balance: "balance" };
const directionLabels: Record<CustomerListSort, Record<"asc" | "desc", string>> = {
  created: { desc: "newest first", asc: "oldest first" },
  name: { asc: "A to Z", desc: "Z to A" },
  email: { asc: "A to Z", desc: "Z to A" },
  balance: { desc: "highest first", asc: "lowest first" },
};

/**
 * The console's customer list: filters, table and paging, all driven by the URL. Navigation runs
 * in a transition, so the current page stays on screen (dimmed, aria-busy) until the next arrives.
 */
export function CustomerList({ params, facets, items, nextCursor, previousCursor }: CustomerListProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const navigate = useCallback(
    (next: CustomerListParams, mode: "push" | "replace" = "push") =>
      startTransition(() => (mode === "push" ? router.push : router.replace)(customerListHref(next), { scroll: false })),
    [router],
  );
  const onSort = (key: CustomerListSort) =>
    navigate(firstPage(params, { sort: key, dir: key === params.sort ? (params.dir === "asc" ? "desc" : "asc") : firstDirection[key] }));
  const filtered = hasFilters(params);
  // Clearing keeps the sort and the page size.
  const cleared = firstPage(params, { q: undefined, status: undefined, plan: undefined, dunning: undefined, country: undefined, currency: undefined });

  return (
    <div className="space-y-4">
      <CustomerFilters params={params} facets={facets} onNavigate={navigate} />
      <Card className="overflow-hidden">
        {items.length > 0 && (
          <div className="flex min-h-12 flex-wrap items-center justify-between gap-x-4 gap-y-2 border-b border-slate-200 px-4 py-2.5">
            <p className="text-[13px] text-slate-600" aria-live="polite">
              {`${items.length} ${items.length === 1 ? "customer" : "customers"} on this page`}
              <span aria-hidden="true"> · </span>
              <span className="sr-only">, </span>
              sorted by {sortLabels[params.sort]}, {directionLabels[params.sort][params.dir]}
            </p>
            <div className="ml-auto flex items-center gap-3">
              <span className={cn("inline-flex items-center gap-1.5 text-[13px] text-slate-600", !pending && "invisible")} aria-hidden={!pending}>
                <Spinner size="sm" />
                Loading…
              </span>
              {filtered && (
                <Link
                  href={customerListHref(cleared)}
                  onClick={intercept(() => navigate(cleared))}
                  className="rounded-sm text-[13px] font-medium text-brand-700 hover:underline"
                >
                  Clear filters
                </Link>
              )}
            </div>
          </div>
        )}
        {items.length === 0 ? (
          <div className="p-4" aria-busy={pending || undefined}>
            <EmptyState
              className="border-0"
              title={filtered ? "No customers match" : params.cursor ? "No more customers" : "No customers yet"}
              description={
                filtered
                  ? "Nothing matches this search and these filters. Try fewer filters, or search by part of a name or email."
                  : params.cursor
                    ? "The customers on this page have changed since it was opened."
                    : "Customers appear here once they sign up or are created through the API."
              }
              action={
                filtered || params.cursor ? (
                  <ButtonLink href={customerListHref(filtered ? cleared : { ...params, cursor: null })} variant="secondary" size="sm">
                    {filtered ? "Clear filters" : "Back to the first page"}
                  </ButtonLink>
                ) : undefined
              }
            />
          </div>
        ) : (
          <CustomerTable items={items} sort={params.sort} dir={params.dir} onSort={onSort} busy={pending} />
        )}
        {(items.length > 0 || previousCursor) && (
          <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 bg-slate-50 px-4 py-2.5">
            <Select
              label="Rows per page"
              name="limit"
              value={String(params.limit)}
              onChange={(event) => navigate(firstPage(params, { limit: Number(event.target.value) }))}
              options={customerListPageSizes.map((n) => ({ value: String(n), label: String(n) }))}
              wrapperClassName="flex-row items-center gap-2 [&>div:first-child]:shrink-0"
              className="h-8 w-20"
            />
            <div className="flex items-center gap-2">
              <PageLink cursor={previousCursor} params={params} navigate={navigate} rel="prev">
                Previous
              </PageLink>
              <PageLink cursor={nextCursor} params={params} navigate={navigate} rel="next">
                Next
              </PageLink>
            </div>
          </nav>
        )}
      </Card>
    </div>
  );
}

/** Plain clicks navigate in the transition; modified clicks (new tab, new window) keep the browser's behaviour. */
function intercept(go: () => void) {
  return (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    go();
  };
}

function PageLink({
  cursor,
  params,
  navigate,
  rel,
  children,
}: {
  cursor: string | null;
  params: CustomerListParams;
  navigate: (p: CustomerListParams) => void;
  rel: "prev" | "next";
  children: ReactNode;
}) {
  const icon =
    rel === "prev" ? (
      <path
        fillRule="evenodd"
        d="M11.78 5.22a.75.75 0 0 1 0 1.06L8.06 10l3.72 3.72a.75.75 0 1 1-1.06 1.06l-4.25-4.25a.75.75 0 0 1 0-1.06l4.25-4.25a.75.75 0 0 1 1.06 0Z"
        clipRule="evenodd"
      />
    ) : (
      <path
        fillRule="evenodd"
        d="M8.22 5.22a.75.75 0 0 1 1.06 0l4.25 4.25a.75.75 0 0 1 0 1.06l-4.25 4.25a.75.75 0 0 1-1.06-1.06L11.94 10 8.22 6.28a.75.75 0 0 1 0-1.06Z"
        clipRule="evenodd"
      />
    );
  const content = (
    <>
      {rel === "prev" && (
        <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="size-4">
          {icon}
        </svg>
      )}
      {children}
      {rel === "next" && (
        <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="size-4">
          {icon}
        </svg>
      )}
    </>
  );
  if (!cursor) {
    return (
      <span aria-disabled="true" className={buttonClasses({ variant: "secondary", size: "sm" })}>
        {content}
      </span>
    );
  }
  const next = { ...params, cursor };
  return (
    <Link href={customerListHref(next)} rel={rel} onClick={intercept(() => navigate(next))} className={buttonClasses({ variant: "secondary", size: "sm" })}>
      {content}
    </Link>
  );
}
