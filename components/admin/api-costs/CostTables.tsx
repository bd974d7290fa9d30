import Link from "next/link";
import { Table, TBody, TD, TEmpty, TH, THead, TR } from "@/components/ui";
import type { CostSummaryRow } from "@/lib/services/api-costs/summary";
import type { CustomerCostRow } from "@/lib/services/api-costs/cost-report";
import type { Formatter } from "@/lib/format";

/** A row's share of the total, to one decimal ("12.5%"); "—" when the total is nothing. */
export function shareOf(cost: number, total: number): string {
  return total > 0 ? `${((cost / total) * 100).toFixed(1)}%` : "—";
}

/** The exact sum a rounded figure came from, for its title (hover) and the CSV. */
const exactTitle = (row: CostSummaryRow) => `Exact: ${row.costDecimal} minor units of ${row.currency.toUpperCase()}`;

export const CountCell = ({ row, fmt }: { row: CostSummaryRow; fmt: Formatter }) => (
  <TD numeric muted>
    {fmt.count(row.count)}
  </TD>
);

/** The heads of CountCell and SpendCells. */
export const CountSpendHeads = () => (
  <>
    <TH numeric>Costs</TH>
    <TH numeric>Spend</TH>
    <TH numeric>Share</TH>
  </>
);

/** The row's spend (its exact sum on hover) and its share of the total. */
export function SpendCells({ row, total, fmt }: { row: CostSummaryRow; total: number; fmt: Formatter }) {
  return (
    <>
      <TD numeric className="font-medium" title={exactTitle(row)}>
        {fmt.money(row.cost, row.currency)}
      </TD>
      <TD numeric muted>
        {shareOf(row.cost, total)}
      </TD>
    </>
  );
}

/** Spend per region or per operation; units are shown only where they mean one thing (per operation). */
export function BreakdownTable({ rows, total, label, noKey, units, fmt }: { rows: CostSummaryRow[]; total: number; label: string; noKey: string; units?: boolean; fmt: Formatter }) {
  return (
    <Table bare caption={`Spend per ${label.toLowerCase()} this month`}>
      <THead>
        <TR>
          <TH>{label}</TH>
          {units ? <TH numeric>Units</TH> : null}
          <TH numeric>Spend</TH>
          <TH numeric>Share</TH>
        </TR>
      </THead>
      <TBody>
        {rows.length === 0 ? <TEmpty colSpan={units ? 4 : 3}>No costs.</TEmpty> : null}
        {rows.map((r) => (
          <TR key={r.key ?? ""}>
            <TD>{r.key === null ? <span className="text-slate-500">{noKey}</span> : <span className="font-mono text-[13px]">{r.key}</span>}</TD>
            {units ? (
              <TD numeric muted>
                {fmt.usage(r.units)}
              </TD>
            ) : null}
            <SpendCells fmt={fmt} row={r} total={total} />
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

/** The dearest customers by attributed cost, each linking to the customer's page. */
export function TopCustomersTable({ rows, total, fmt }: { rows: CustomerCostRow[]; total: number; fmt: Formatter }) {
  return (
    <Table bare caption="Customers by API cost this month">
      <THead>
        <TR>
          <TH>Customer</TH>
          <CountSpendHeads />
        </TR>
      </THead>
      <TBody>
        {rows.map((r) => (
          <TR key={r.key} interactive>
            <TD wrap className="min-w-44">
              <Link href={`/admin/customers/${r.key}`} className="rounded-sm font-medium break-words text-brand-700 hover:underline">
                {r.name ?? r.email ?? r.key}
              </Link>
              {r.name && r.email ? <span className="block text-xs break-all text-slate-500">{r.email}</span> : null}
            </TD>
            <CountCell fmt={fmt} row={r} />
            <SpendCells fmt={fmt} row={r} total={total} />
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
