import { monthsOf, type AnalyticsRange } from "@/lib/analytics/range";
import { AppError } from "@/lib/errors";
import { normalizeCurrency } from "@/lib/money";
import { signupDefaults } from "@/lib/settings/defaults";
import type { ServiceContext } from "../context";
import { revenueSummary, type RevenueSummary } from "../revenue/revenue-summary";
import { cohortReport, type CohortReport } from "./cohorts";
import { kpiReport, type KpiReport } from "./kpi-targets";
import { mrrSeries, type MrrPoint } from "./mrr";
import { outcomesReport, type OutcomesReport } from "./outcomes";
import { analyticsSummaries, type AnalyticsSummary } from "./summary";

export interface TrendPoint {
  month: string;
  /** The month-to-date figures are read on this day (the month's last, or the range's end). */
  date: string;
  customer_churn_rate: string | null;
  nrr: string | null;
  grr: string | null;
  net_mrr_churn_rate: string | null;
}

export interface AnalyticsOverview {
  currency: string;
  range: AnalyticsRange;
  mrr: MrrPoint[];
  trends: TrendPoint[];
  /** The summary of the month to the range's end. */
  summary: AnalyticsSummary;
  kpis: KpiReport;
  /** The waterfall of the chosen month, in the reporting currency's own invoices (not converted). */
  waterfall: RevenueSummary;
  /** The cohorts starting in the range's months, observed to its last month (decision 035). */
  cohorts: CohortReport;
  /** Dunning and retention-offer outcomes of the range's days. */
  outcomes: OutcomesReport;
}

/** The cohort grid of a range: the cohorts starting in its months, observed to its last month. */
export const cohortMonths = (range: AnalyticsRange, currency: string) => ({ from: range.from.slice(0, 7), to: range.to.slice(0, 7), currency });

/** Everything the Analytics page draws, from the same services as the API (decisions 032 and 033). A missing exchange rate is a 422 fx_rate_missing. */
export async function analyticsOverview(ctx: ServiceContext, q: { range: AnalyticsRange; currency?: string; month?: string }): Promise<AnalyticsOverview> {
  const currency = normalizeCurrency(q.currency ?? signupDefaults.currency, "currency");
  const month = q.month ?? q.range.to.slice(0, 7);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new AppError("validation_failed", { param: "month", userMessage: "month must be YYYY-MM." });
  const months = monthsOf(q.range.from, q.range.to);
  const [series, summaries, waterfall, cohorts, outcomes] = await Promise.all([
    mrrSeries(ctx, { from: q.range.from, to: q.range.to, interval: q.range.interval, currency }),
    analyticsSummaries(ctx, { dates: months.map((m) => m.date), currency }),
    revenueSummary(ctx, { month, currency }),
    cohortReport(ctx, cohortMonths(q.range, currency)),
    outcomesReport(ctx, { from: q.range.from, to: q.range.to }),
  ]);
  const summary = summaries[summaries.length - 1]!;
  const kpis = await kpiReport(ctx, { date: q.range.to, currency }, { summary, revenue: month === q.range.to.slice(0, 7) ? waterfall : undefined });
  return {
    currency,
    range: q.range,
    mrr: series.data,
    trends: summaries.map((s, i) => ({ month: months[i]!.month, date: s.date, customer_churn_rate: s.customer_churn_rate, nrr: s.nrr, grr: s.grr, net_mrr_churn_rate: s.net_mrr_churn_rate })),
    summary,
    kpis,
    waterfall,
    cohorts,
    outcomes,
  };
}
