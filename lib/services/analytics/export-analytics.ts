import { monthIndex, monthOfIndex } from "@/lib/analytics/cohorts";
import { kpiLabels } from "@/lib/analytics/kpi-targets";
import { monthsOf, type AnalyticsRange } from "@/lib/analytics/range";
import { recordAudit } from "@/lib/audit/record";
import { CSV_BOM, csvRow, type CsvValue } from "@/lib/csv/csv";
import { normalizeCurrency, toMajorString } from "@/lib/money";
import { signupDefaults } from "@/lib/settings/defaults";
import type { ServiceContext } from "../context";
import { revenueSummary } from "../revenue/revenue-summary";
import { cohortReport } from "./cohorts";
import { kpiReport } from "./kpi-targets";
import { mrrSeries } from "./mrr";
import { outcomesReport } from "./outcomes";
import { cohortMonths } from "./overview";
import { analyticsSummaries } from "./summary";

export const analyticsCharts = ["mrr", "trends", "kpis", "waterfall", "cohorts", "dunning", "retention"] as const;
export type AnalyticsChart = (typeof analyticsCharts)[number];

/**
 * One chart of the Analytics page as CSV: the figures it draws, amounts in major units of the
 * reporting currency beside their minor units, rates as decimal strings. Audited, as every export is.
 */
export async function exportAnalytics(ctx: ServiceContext, q: { chart: AnalyticsChart; range: AnalyticsRange; currency?: string; month?: string }): Promise<{ filename: string; rows: number; body: string }> {
  const currency = normalizeCurrency(q.currency ?? signupDefaults.currency, "currency");
  const cur = currency.toUpperCase();
  const money = (minor: number): CsvValue[] => [toMajorString(minor, currency), minor];
  let header: string[];
  let rows: CsvValue[][];
  let scope = `${q.range.from}-to-${q.range.to}`;
  if (q.chart === "mrr") {
    const { data } = await mrrSeries(ctx, { from: q.range.from, to: q.range.to, interval: q.range.interval, currency });
    const kinds = ["new", "expansion", "reactivation", "contraction", "churn"] as const;
    header = ["bucket_start", "interval", "mrr", "mrr_minor_units", ...kinds.flatMap((k) => [k, `${k}_minor_units`]), "currency"];
    rows = data.map((p) => [p.date, q.range.interval, ...money(p.mrr), ...kinds.flatMap((k) => money(p[k])), cur]);
  } else if (q.chart === "trends") {
    const months = monthsOf(q.range.from, q.range.to);
    const summaries = await analyticsSummaries(ctx, { dates: months.map((m) => m.date), currency });
    header = ["month", "as_of", "customer_churn_rate", "gross_mrr_churn_rate", "net_mrr_churn_rate", "nrr", "grr", "mrr", "mrr_minor_units", "currency"];
    rows = summaries.map((s, i) => [months[i]!.month, s.date, s.customer_churn_rate, s.gross_mrr_churn_rate, s.net_mrr_churn_rate, s.nrr, s.grr, ...money(s.mrr), cur]);
  } else if (q.chart === "kpis") {
    const report = await kpiReport(ctx, { date: q.range.to, currency });
    scope = q.range.to;
    header = ["metric", "label", "period_start", "as_of", "direction", "target", "actual", "status"];
    rows = report.results.map((r) => [r.metric, kpiLabels[r.metric], report.period_start, report.date, r.direction, r.target, r.actual, r.status]);
  } else if (q.chart === "cohorts") {
    const report = await cohortReport(ctx, cohortMonths(q.range, currency));
    header = ["cohort", "cohort_customers", "months_since_start", "month", "mrr", "mrr_minor_units", "revenue_retention", "customers", "customer_retention", "rate_date", "currency"];
    rows = report.cohorts.flatMap((c) => c.cells.map((cell) => [c.cohort, c.customers, cell.months_since_start, monthOfIndex(monthIndex(c.cohort) + cell.months_since_start), ...money(cell.mrr), cell.revenue_retention, cell.customers, cell.customer_retention, report.rate_date, cur]));
  } else if (q.chart === "dunning") {
    const { dunning } = await outcomesReport(ctx, { from: q.range.from, to: q.range.to });
    header = ["from", "to", "currency", "entered", "recovered", "lost", "in_dunning", "recovery_rate", "amount_due", "amount_due_minor_units", "recovered_amount", "recovered_amount_minor_units", "lost_amount", "lost_amount_minor_units", "in_dunning_amount", "in_dunning_amount_minor_units"];
    const counts = [dunning.entered, dunning.recovered, dunning.lost, dunning.in_dunning, dunning.recovery_rate];
    // Counts cover every currency; each row carries one currency's amounts (in its own units, not converted).
    rows = (dunning.amounts.length ? dunning.amounts : [null]).map((a) => [q.range.from, q.range.to, a?.currency.toUpperCase() ?? "", ...counts, ...(a ? [a.amount_due, a.recovered, a.lost, a.in_dunning].flatMap((m) => [toMajorString(m, a.currency), m]) : ["", "", "", "", "", "", "", ""])]);
  } else if (q.chart === "retention") {
    const { retention: r } = await outcomesReport(ctx, { from: q.range.from, to: q.range.to });
    header = ["from", "to", "attempts", "offers_shown", "accepted", "accepted_discount", "paused", "switched_plan", "contacted_support", "canceled", "canceled_after_offer", "abandoned", "in_progress", "acceptance_rate", "mrr_saved_currency", "mrr_saved", "mrr_saved_minor_units"];
    const counts = [r.attempts, r.offers_shown, r.accepted, r.accepted_discount, r.paused, r.switched_plan, r.contacted_support, r.canceled, r.canceled_after_offer, r.abandoned, r.in_progress, r.acceptance_rate];
    rows = (r.mrr_saved.length ? r.mrr_saved : [null]).map((s) => [q.range.from, q.range.to, ...counts, s?.currency.toUpperCase() ?? "", ...(s ? [toMajorString(s.amount, s.currency), s.amount] : ["", ""])]);
  } else {
    const month = q.month ?? q.range.to.slice(0, 7);
    const w = await revenueSummary(ctx, { month, currency });
    scope = month;
    header = ["month", "deferred_opening", "billed", "recognized", "deferred_closing", "refunded", "deferred_opening_minor_units", "billed_minor_units", "recognized_minor_units", "deferred_closing_minor_units", "refunded_minor_units", "currency"];
    const figures = [w.deferredOpening, w.billed, w.recognized, w.deferredClosing, w.refunded];
    rows = [[month, ...figures.map((f) => toMajorString(f, currency)), ...figures, cur]];
  }
  const filename = `analytics-${q.chart}-${scope}-${currency}.csv`;
  await recordAudit(ctx.db, ctx.actor, { action: "analytics.exported", entityType: "analytics", entityId: q.chart, after: { chart: q.chart, from: q.range.from, to: q.range.to, month: q.month ?? null, currency, rows: rows.length } }, ctx.now, ctx.requestId);
  return { filename, rows: rows.length, body: CSV_BOM + csvRow(header) + rows.map((r) => csvRow(r)).join("") };
}
