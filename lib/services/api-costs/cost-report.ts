import { customerLabels } from "@/db/queries/customers";
import type { CostMonth } from "@/lib/api-costs/months";
import { AppError } from "@/lib/errors";
import { addDecimal, formatDecimal, parseDecimal, roundDecimal, ZERO_DECIMAL } from "@/lib/money";
import type { ServiceContext } from "../context";
import { listCostProviders, type CostProviderWithRates } from "./providers";
import { costSummary, type CostSummaryRow } from "./summary";

export interface ProviderCostRow extends CostSummaryRow {
  /** The provider's id and name; null for costs of a code no provider of this mode has any more. */
  providerId: string | null;
  name: string;
}

export interface CustomerCostRow extends CostSummaryRow {
  name: string | null;
  email: string | null;
}

export interface CostTotal {
  /** Rounded once, from the exact sum of the rows' exact costs. */
  cost: number;
  costDecimal: string;
  count: number;
}

export interface MonthCostReport {
  currency: string;
  month: CostMonth;
  providers: CostProviderWithRates[];
  total: CostTotal;
  /** Every provider of the mode, those without costs at 0, dearest first. */
  byProvider: ProviderCostRow[];
  /** Per provider code, its costs per UTC day (days without costs absent). */
  daily: Map<string, CostSummaryRow[]>;
  byRegion: CostSummaryRow[];
  byOperation: CostSummaryRow[];
  /** The dearest attributed customers (costs without a customer are left out). */
  topCustomers: CustomerCostRow[];
}

/** The exact sum of rows' exact costs, rounded once (a total is a row of its own). */
export function totalOf(rows: readonly CostSummaryRow[]): CostTotal {
  const exact = rows.reduce((sum, r) => addDecimal(sum, parseDecimal(r.costDecimal, "cost")), ZERO_DECIMAL);
  return { cost: roundDecimal(exact), costDecimal: formatDecimal(exact), count: rows.reduce((n, r) => n + r.count, 0) };
}

const zeroRow = (key: string, currency: string): CostSummaryRow => ({ key, units: "0", cost: 0, costDecimal: "0", currency, count: 0 });

/**
 * A month of API costs as the console shows it: by provider (with the providers that cost nothing),
 * by day per provider, by region, by operation and the top customers, all from costSummary (each
 * row's exact sum rounded once, in the reporting currency). A missing exchange rate throws
 * fx_rate_missing, as the summary does.
 */
export async function monthCostReport(ctx: ServiceContext, query: { month: CostMonth; currency?: string; topCustomers?: number }): Promise<MonthCostReport> {
  const range = { from: query.month.from, to: query.month.to, currency: query.currency };
  const [providers, byProvider, byRegion, byOperation, byCustomer] = await Promise.all([
    listCostProviders(ctx),
    costSummary(ctx, { ...range, groupBy: "provider" }),
    costSummary(ctx, { ...range, groupBy: "region" }),
    costSummary(ctx, { ...range, groupBy: "operation" }),
    costSummary(ctx, { ...range, groupBy: "customer" }),
  ]);
  const currency = byProvider.currency;
  const codes = [...new Set([...byProvider.data.map((r) => r.key ?? ""), ...providers.map((p) => p.provider.code)])];
  const daily = new Map(
    await Promise.all(codes.map(async (code) => [code, (await costSummary(ctx, { ...range, groupBy: "day", provider: code })).data] as const)),
  );
  const providerRows = codes
    .map((code) => {
      const p = providers.find((x) => x.provider.code === code)?.provider;
      const row = byProvider.data.find((r) => r.key === code) ?? zeroRow(code, currency);
      return { ...row, providerId: p?.id ?? null, name: p?.name ?? code };
    })
    .sort((a, b) => b.cost - a.cost || a.name.localeCompare(b.name));
  const attributed = byCustomer.data.filter((r) => r.key !== null).slice(0, query.topCustomers ?? 10);
  const labels = await customerLabels(
    ctx.db,
    attributed.map((r) => r.key!),
  );
  return {
    currency,
    month: query.month,
    providers,
    total: totalOf(byProvider.data),
    byProvider: providerRows,
    daily,
    byRegion: byRegion.data,
    byOperation: byOperation.data,
    topCustomers: attributed.map((r) => ({ ...r, name: labels.get(r.key!)?.name ?? null, email: labels.get(r.key!)?.email ?? null })),
  };
}

/** fx_rate_missing as the console says it (the report cannot be made until the rate is added), else rethrown. */
export function reportProblem(error: unknown): string {
  if (error instanceof AppError && error.code === "fx_rate_missing") return error.userMessage;
  throw error;
}
