import Link from "next/link";
import { Table, TBody, TD, TEmpty, TH, THead, TR } from "@/components/ui";
import { formatCount, formatUsage } from "@/lib/format";
import { formatMoney } from "@/lib/money";
import type { CostSummaryRow } from "@/lib/services/api-costs/summary";
import type { CustomerCostRow } from "@/lib/services/api-costs/cost-report";

/** A row's share of the total, to one decimal ("12.5%"); "—" when the total is nothing. */
export function shareOf(cost: number, total: number): string {
  return total > 0 ? `${((cost / total) * 100).toFixed(1)}%` : "—";
}

/** The exact sum a rounded figure came from, for its title (hover) and the CSV. */
const exactTitle = (row: CostSummaryRow) => `Exact: ${row.costDecimal} minor units of ${row.currency.toUpperCase()}`;

export const CountCell = ({ row }: { row: CostSummaryRow }) => (
  <TD numeric muted>
    {formatCount(row.count)}
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
export function SpendCells({ row, total }: { row: CostSummaryRow; total: number }) {
  return (
    <>
      <TD numeric className="font-medium" title={exactTitle(row)}>
        {formatMoney(row.cost, row.currency)}
      </TD>
      <TD numeric muted>
        {shareOf(row.cost, total)}
      </TD>
    </>
  );
}

/** Spend per region or per operation; units are shown only where they mean one thing (per operation). */
export function BreakdownTable({ rows, total, label, noKey, units }: { rows: CostSummaryRow[]; total: number; label: string; noKey: string; units?: boolean }) {
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
                {formatUsage(r.units)}
              </TD>
            ) : null}
            <SpendCells row={r} total={total} />
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

/** The dearest customers by attributed cost, each linking to the customer's page. */
export function TopCustomersTable({ rows, total }: { rows: CustomerCostRow[]; total: number }) {
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
            <CountCell row={r} />
            <SpendCells row={r} total={total} />
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
