import Link from "next/link";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { ForecastMethod } from "@/lib/api-costs/forecast";
import type { BudgetStatus } from "@/lib/services/api-costs/budgets";
import type { CostTotal, ProviderCostRow } from "@/lib/services/api-costs/cost-report";
import type { CostForecast } from "@/lib/services/api-costs/forecast";
import { SERIES_COLOURS } from "./colours";
import { CountCell, CountSpendHeads, SpendCells } from "./CostTables";
import { SpendBar, usageTone } from "./SpendBar";
import type { Formatter } from "@/lib/format";

const METHOD_NOTES: Record<ForecastMethod, string> = {
  weekday_run_rate: "weekday-shaped run-rate: the level of the last 14 complete days, each weekday weighted by its share over the last 28, projected over the days left",
  run_rate: "run-rate: under 14 days of history, the mean daily spend so far projected over the days left",
  actual: "actual: the month has ended",
};

/** What the month-end column says about how its figures were made ("Forecast by weekday-shaped run-rate: …"). */
export function forecastNote(methods: readonly ForecastMethod[]): string {
  const distinct = [...new Set(methods)];
  if (distinct.length === 0) return "";
  if (distinct.length === 1 && distinct[0] === "actual") return "Month end is the actual spend: the month has ended.";
  return `Month end is a forecast by ${distinct.map((m) => METHOD_NOTES[m]).join("; or ")}. Each is made from its own history (all providers' from theirs together), so the providers' forecasts need not add up to the total's.`;
}

/** The budget of a scope (a provider's code, or null for all) in the report's currency, else any of its currencies. */
export function budgetOf(statuses: readonly BudgetStatus[], provider: string | null, currency: string): BudgetStatus | undefined {
  const scoped = statuses.filter((s) => s.budget.providerCode === provider);
  return scoped.find((s) => s.budget.currency === currency) ?? scoped[0];
}

const percentTones = { danger: "text-danger-700 font-semibold", warning: "text-warning-800 font-semibold", normal: "text-slate-700" } as const;

function BudgetCells({ status, label, fmt }: { status: BudgetStatus | undefined; label: string; fmt: Formatter }) {
  if (!status) {
    return (
      <>
        <TD numeric muted>
          —
        </TD>
        <TD muted>No budget</TD>
      </>
    );
  }
  const { budget, spent, percent, problem } = status;
  return (
    <>
      <TD numeric title={`Monthly budget in ${budget.currency.toUpperCase()}`}>
        {fmt.money(budget.amount, budget.currency)}
      </TD>
      <TD data-testid="budget-used">
        {problem ? (
          <span className="text-[13px] text-warning-800" title={problem}>
            No exchange rate
          </span>
        ) : (
          <span className="flex min-w-28 items-center gap-2" title={`${fmt.money(spent, budget.currency)} of ${fmt.money(budget.amount, budget.currency)}`}>
            <SpendBar percent={percent} label={`${label}: ${percent}% of the budget used`} className="h-1.5 w-16 shrink-0" />
            <span className={`tabular-nums ${percentTones[usageTone(percent)]}`}>{percent}%</span>
          </span>
        )}
      </TD>
    </>
  );
}

function ForecastCell({ forecast, fmt }: { forecast: CostForecast | undefined; fmt: Formatter }) {
  return (
    <TD numeric data-testid="month-end">
      {forecast ? (
        <>
          {fmt.money(forecast.forecast, forecast.currency)}
          <span className="block text-xs text-slate-500">{forecast.method === "actual" ? "Actual" : "Forecast"}</span>
        </>
      ) : (
        <span className="text-slate-500">—</span>
      )}
    </TD>
  );
}

/**
 * Spend per provider for the month with its budget (% used, coloured from 80% and 100%) and its
 * month-end forecast, and a total row with the all-providers budget and forecast. The colour chip
 * matches the provider's bars in the trend chart.
 */
export function ProviderSpendTable({
  fmt,
  rows,
  total,
  currency,
  budgets,
  forecasts,
}: {
  fmt: Formatter;
  rows: ProviderCostRow[];
  total: CostTotal;
  currency: string;
  budgets: readonly BudgetStatus[];
  /** null when the forecast could not be made (the page says why). */
  forecasts: { overall: CostForecast; byProvider: ReadonlyMap<string, CostForecast> } | null;
}) {
  return (
    <Table bare caption="Spend per provider this month">
      <THead>
        <TR>
          <TH>Provider</TH>
          <CountSpendHeads />
          <TH numeric>Budget</TH>
          <TH>Used</TH>
          <TH numeric>Month end</TH>
        </TR>
      </THead>
      <TBody>
        {rows.map((r, i) => (
          <TR key={r.key}>
            <TD wrap className="min-w-40">
              <span className="flex items-start gap-2">
                <svg aria-hidden="true" viewBox="0 0 10 10" className="mt-1.5 size-2.5 shrink-0">
                  <rect width="10" height="10" rx="2" fill={SERIES_COLOURS[i % SERIES_COLOURS.length]} />
                </svg>
                <span className="min-w-0">
                  {r.providerId ? (
                    <Link href={`/admin/api-costs/providers/${r.providerId}`} className="rounded-sm font-medium text-brand-700 hover:underline">
                      {r.name}
                    </Link>
                  ) : (
                    <span className="font-medium">{r.name}</span>
                  )}
                  <span className="block font-mono text-xs break-all text-slate-500">{r.key}</span>
                </span>
              </span>
            </TD>
            <CountCell fmt={fmt} row={r} />
            <SpendCells fmt={fmt} row={r} total={total.cost} />
            <BudgetCells fmt={fmt} status={budgetOf(budgets, r.key, currency)} label={r.name} />
            <ForecastCell fmt={fmt} forecast={forecasts?.byProvider.get(r.key ?? "")} />
          </TR>
        ))}
      </TBody>
      <tfoot className="border-t border-slate-200 bg-slate-50 font-medium">
        <TR data-testid="spend-total">
          <TD>All providers</TD>
          <TD numeric muted>
            {fmt.count(total.count)}
          </TD>
          <TD numeric className="font-semibold" title={`Exact: ${total.costDecimal} minor units of ${currency.toUpperCase()}`}>
            {fmt.money(total.cost, currency)}
          </TD>
          <TD numeric muted>
            {total.cost > 0 ? "100%" : "—"}
          </TD>
          <BudgetCells fmt={fmt} status={budgetOf(budgets, null, currency)} label="All providers" />
          <ForecastCell fmt={fmt} forecast={forecasts?.overall} />
        </TR>
      </tfoot>
    </Table>
  );
}
