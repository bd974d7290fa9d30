"use client";

import Link from "next/link";
import { useMemo } from "react";
import { createColumnHelper, rowSortingFeature, tableFeatures, useTable, type SortingState } from "@tanstack/react-table";
import { StatusBadge, Table, TBody, TD, TH, THead, TR, cn } from "@/components/ui";
import type { CustomerListSort, SortDirection } from "@/db/queries/customer-list";

/** One row as the page sends it: already formatted on the server. */
export interface CustomerListItem {
  id: string;
  name: string | null;
  email: string;
  subscriptionStatus: string | null;
  planName: string | null;
  dunning: "active" | "warning" | "blocked";
  country: string | null;
  currency: string;
  balance: string;
  created: string;
  createdIso: string;
}

interface Meta {
  numeric?: boolean;
  /** The sort keys this column's header offers (the customer column offers two). */
  sorts?: readonly { key: CustomerListSort; label: string }[];
  /** Header text for screen readers when it differs from what is shown. */
  className?: string;
}

const features = tableFeatures({ rowSortingFeature, columnMeta: {} as Meta });
const helper = createColumnHelper<typeof features, CustomerListItem>();
const none = <span className="text-slate-500">—</span>;

const columns = helper.columns([
  helper.accessor("name", {
    id: "customer",
    header: "Customer",
    meta: {
      sorts: [
        { key: "name", label: "Name" },
        { key: "email", label: "Email" },
      ],
      className: "min-w-56",
    },
    cell: ({ row }) => {
      const c = row.original;
      return (
        <div className="max-w-72 min-w-0">
          <Link href={`/admin/customers/${c.id}`} className="block truncate rounded-sm font-medium text-brand-700 hover:underline">
            {c.name ?? c.email}
          </Link>
          {c.name && <div className="truncate text-xs text-slate-600">{c.email}</div>}
        </div>
      );
    },
  }),
  helper.accessor("subscriptionStatus", {
    id: "subscription",
    header: "Subscription",
    cell: ({ getValue }) => {
      const status = getValue();
      return status ? <StatusBadge status={status} /> : <span className="text-slate-600">None</span>;
    },
  }),
  helper.accessor("planName", { id: "plan", header: "Plan", cell: ({ getValue }) => getValue() ?? none }),
  helper.accessor("dunning", {
    id: "dunning",
    header: "Dunning",
    cell: ({ getValue }) =>
      getValue() === "active" ? (
        <span className="text-slate-500">
          <span aria-hidden="true">—</span>
          <span className="sr-only">Good standing</span>
        </span>
      ) : (
        <StatusBadge status={getValue()} />
      ),
  }),
  helper.accessor("country", { id: "country", header: "Country", cell: ({ getValue }) => getValue() ?? none }),
  helper.accessor("currency", { id: "currency", header: "Currency" }),
  helper.accessor("balance", { id: "balance", header: "Balance", meta: { numeric: true, sorts: [{ key: "balance", label: "Balance" }] } }),
  helper.accessor("created", {
    id: "created",
    header: "Created",
    meta: { sorts: [{ key: "created", label: "Created" }] },
    cell: ({ row, getValue }) => <time dateTime={row.original.createdIso}>{getValue()}</time>,
  }),
]);

function SortIcon({ direction }: { direction: SortDirection | null }) {
  return (
    <svg viewBox="0 0 16 16" fill="currentColor" aria-hidden="true" className={cn("size-3.5 shrink-0", direction ? "text-slate-900" : "text-slate-400")}>
      {direction !== "desc" && <path d="M8 3.5 11 7H5l3-3.5Z" opacity={direction === "asc" ? 1 : 0.7} />}
      {direction !== "asc" && <path d="M8 12.5 5 9h6l-3 3.5Z" opacity={direction === "desc" ? 1 : 0.7} />}
    </svg>
  );
}

export interface CustomerTableProps {
  items: CustomerListItem[];
  sort: CustomerListSort;
  dir: SortDirection;
  /** A header was clicked: sort by this key (the caller picks the direction). */
  onSort: (key: CustomerListSort) => void;
  busy: boolean;
}

/** The list's table: TanStack Table in manual mode (the server sorts and pages), our own markup. */
export function CustomerTable({ items, sort, dir, onSort, busy }: CustomerTableProps) {
  const sorting = useMemo<SortingState>(() => [{ id: sort === "name" || sort === "email" ? "customer" : sort, desc: dir === "desc" }], [sort, dir]);
  const table = useTable({
    features,
    columns,
    data: items,
    state: { sorting },
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    getRowId: (row) => row.id,
  });

  return (
    <Table bare caption="Customers" wrapperClassName="relative" aria-busy={busy || undefined} className={cn("transition-opacity", busy && "opacity-60")}>
      <THead>
        {table.getHeaderGroups().map((group) => (
          <TR key={group.id}>
            {group.headers.map((header) => {
              const meta = header.column.columnDef.meta;
              const sorted = header.column.getIsSorted();
              return (
                <TH
                  key={header.id}
                  numeric={meta?.numeric}
                  className={meta?.className}
                  aria-sort={meta?.sorts && sorted ? (sorted === "asc" ? "ascending" : "descending") : undefined}
                >
                  {meta?.sorts ? (
                    <span className={cn("inline-flex items-center gap-1", meta.numeric && "flex-row-reverse")}>
                      {meta.sorts.map((s, i) => (
                        <span key={s.key} className="inline-flex items-center">
                          {i > 0 && (
                            <span className="px-1 text-slate-400" aria-hidden="true">
                              /
                            </span>
                          )}
                          <button
                            type="button"
                            onClick={() => onSort(s.key)}
                            className={cn(
                              "-mx-1 inline-flex items-center gap-1 rounded px-1 py-0.5 font-medium hover:bg-slate-200/60 hover:text-slate-900",
                              s.key === sort ? "text-slate-900" : "text-slate-600",
                            )}
                          >
                            {s.label}
                            <SortIcon direction={s.key === sort ? dir : null} />
                          </button>
                        </span>
                      ))}
                    </span>
                  ) : header.isPlaceholder ? null : (
                    <table.FlexRender header={header} />
                  )}
                </TH>
              );
            })}
          </TR>
        ))}
      </THead>
      <TBody>
        {table.getRowModel().rows.map((row) => (
          <TR key={row.id} interactive>
            {row.getAllCells().map((cell) => (
              <TD key={cell.id} numeric={cell.column.columnDef.meta?.numeric} muted={cell.column.id === "created" || cell.column.id === "currency"}>
                <table.FlexRender cell={cell} />
              </TD>
            ))}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
