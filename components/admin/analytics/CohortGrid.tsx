import { Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { cn } from "@/components/ui/cn";
import { rateAsPercent } from "@/lib/analytics/percent";
import type { CohortRow } from "@/lib/analytics/cohorts";
import type { Formatter } from "@/lib/format";

const monthLabel = (fmt: Formatter, month: string) => fmt.month(new Date(`${month}-01T00:00:00Z`), "short");

/**
 * A cell's shade, from light to deep as more of the starting MRR is kept (100 % and over is the
 * deepest): classes, not a style attribute, as the pages' CSP allows no inline style (decision 020).
 */
const SHADES = ["bg-indigo-50 text-slate-900", "bg-indigo-100 text-slate-900", "bg-indigo-200 text-slate-900", "bg-indigo-300 text-slate-900", "bg-indigo-400 text-slate-900", "bg-indigo-600 text-white", "bg-indigo-700 text-white", "bg-indigo-800 text-white"];
function shade(rate: string | null): string {
  if (rate === null) return "";
  const kept = Math.max(0, Math.min(1, Number(rate)));
  return SHADES[Math.min(SHADES.length - 1, Math.floor(kept * SHADES.length))]!;
}

/**
 * The revenue retention grid (decision 035): one row per start month, one column per month since
 * the start. `heat` shades each cell by the share of the starting MRR kept and shows it with the
 * customers retained; `amounts` shows the MRR and customers as figures. The table scrolls sideways
 * in its own box on a narrow screen, the cohort column staying in view.
 */
export function CohortGrid({ cohorts, currency, view, fmt }: { cohorts: CohortRow[]; currency: string; view: "heat" | "amounts"; fmt: Formatter }) {
  const columns = Math.max(0, ...cohorts.map((c) => c.cells.length));
  const sticky = "sticky left-0 z-10";
  return (
    <Table caption={view === "heat" ? "Revenue retention by cohort" : "Cohort MRR and customers"} bare data-testid={view === "heat" ? "cohort-grid" : "cohort-table"} className="text-[13px]">
      <THead>
        <TR>
          <TH className={`${sticky} bg-slate-50`}>Cohort</TH>
          <TH numeric>Customers</TH>
          <TH numeric>Starting MRR</TH>
          {Array.from({ length: columns }, (_, k) => (
            <TH key={k} numeric>
              Month {k}
            </TH>
          ))}
        </TR>
      </THead>
      <TBody>
        {cohorts.map((c) => (
          <TR key={c.cohort}>
            <TH scope="row" className={`${sticky} bg-white font-medium text-slate-900`}>
              {monthLabel(fmt, c.cohort)}
            </TH>
            <TD numeric>{fmt.count(c.customers)}</TD>
            <TD numeric>{fmt.money(c.starting_mrr, currency)}</TD>
            {Array.from({ length: columns }, (_, k) => {
              const cell = c.cells[k];
              if (!cell) return <TD key={k} />;
              const of = `${fmt.count(cell.customers)} of ${fmt.count(c.customers)} customers`;
              return view === "heat" ? (
                <TD key={k} numeric className={cn("min-w-[4.5rem] border-l border-white py-1.5", shade(cell.revenue_retention))} data-testid="cohort-cell" title={`${monthLabel(fmt, c.cohort)}, month ${k}: ${rateAsPercent(cell.revenue_retention)} of starting MRR, ${of}`}>
                  <span className="block font-medium">{rateAsPercent(cell.revenue_retention)}</span>
                  <span className="block text-[11px] opacity-80">{fmt.count(cell.customers)} cust.</span>
                </TD>
              ) : (
                <TD key={k} numeric className="py-1.5">
                  <span className="block">{fmt.money(cell.mrr, currency)}</span>
                  <span className="block text-[11px] text-slate-600">{of}</span>
                </TD>
              );
            })}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
