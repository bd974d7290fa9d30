import type { CostGrouping } from "@/db/queries/api-costs";
import type { CostMonth } from "@/lib/api-costs/months";
import { CSV_BOM, csvRow, type CsvValue } from "@/lib/csv/csv";
import { toMajorString } from "@/lib/money";
import type { ServiceContext } from "../context";
import { listCostProviders } from "./providers";
import { costSummary, type CostSummaryRow } from "./summary";

const AMOUNT_COLUMNS = ["units", "costs", "cost", "cost_exact_minor_units", "currency"] as const;

const amounts = (r: CostSummaryRow): CsvValue[] => [r.units, r.count, toMajorString(r.cost, r.currency), r.costDecimal, r.currency.toUpperCase()];

/**
 * A month of API costs as CSV in the reporting currency, one row per group (each row's exact sum
 * rounded once, as on the console page): by `day` the rows are day × provider, otherwise one row
 * per provider, region, operation or customer. `cost` is in major units; the exact minor-unit sum
 * beside it is what was rounded.
 */
export async function exportApiCosts(ctx: ServiceContext, query: { month: CostMonth; groupBy: CostGrouping; currency?: string }): Promise<{ filename: string; rows: number; body: string }> {
  const range = { from: query.month.from, to: query.month.to, currency: query.currency };
  let header: string[];
  let rows: CsvValue[][];
  if (query.groupBy === "day") {
    header = ["month", "day", "provider", ...AMOUNT_COLUMNS];
    const codes = (await listCostProviders(ctx)).map((p) => p.provider.code);
    const given = (await costSummary(ctx, { ...range, groupBy: "provider" })).data.map((r) => r.key ?? "");
    const perProvider = await Promise.all(
      [...new Set([...codes, ...given])].sort().map(async (code) => (await costSummary(ctx, { ...range, groupBy: "day", provider: code })).data.map((r) => ({ code, r }))),
    );
    rows = perProvider
      .flat()
      .sort((a, b) => (a.r.key ?? "").localeCompare(b.r.key ?? "") || a.code.localeCompare(b.code))
      .map(({ code, r }) => [query.month.key, r.key, code, ...amounts(r)]);
  } else {
    header = ["month", query.groupBy, ...AMOUNT_COLUMNS];
    rows = (await costSummary(ctx, { ...range, groupBy: query.groupBy })).data.map((r) => [query.month.key, r.key ?? "", ...amounts(r)]);
  }
  return {
    filename: `api-costs-${query.month.key}-by-${query.groupBy}.csv`,
    rows: rows.length,
    body: CSV_BOM + csvRow(header) + rows.map((r) => csvRow(r)).join(""),
  };
}
