import type { Executor } from "@/db/client";
import { kpiLabels, kpiStatus, kpiTargetSchema, recognitionAccuracy, type KpiDirection, type KpiMetric, type KpiStatus, type KpiTarget } from "@/lib/analytics/kpi-targets";
import { AppError } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { revenueSummary, type RevenueSummary } from "../revenue/revenue-summary";
import { getSetting, setSetting } from "../settings/settings";
import { analyticsSummary, type AnalyticsSummary } from "./summary";

/** The KPI targets in force (seed 001's four until staff change them). */
export async function listKpiTargets(db: Executor): Promise<KpiTarget[]> {
  return getSetting(db, "analytics.kpi_targets");
}

/** Set (add or replace) one metric's target; audited as a setting change with before and after. */
export async function setKpiTarget(ctx: ServiceContext, input: { metric: string; direction: string; target: string }): Promise<KpiTarget[]> {
  const parsed = kpiTargetSchema.safeParse({ metric: input.metric, direction: input.direction, target: input.target.trim() });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("validation_failed", { param: typeof issue?.path[0] === "string" ? issue.path[0] : "target", userMessage: issue?.message ?? "Check the target." });
  }
  const current = await listKpiTargets(ctx.db);
  const next = current.some((t) => t.metric === parsed.data.metric) ? current.map((t) => (t.metric === parsed.data.metric ? parsed.data : t)) : [...current, parsed.data];
  return setSetting(ctx, "analytics.kpi_targets", next);
}

/** Remove a metric's target: its card goes from the page. Audited. */
export async function removeKpiTarget(ctx: ServiceContext, metric: string): Promise<KpiTarget[]> {
  const current = await listKpiTargets(ctx.db);
  if (!current.some((t) => t.metric === metric)) throw new AppError("validation_failed", { param: "metric", userMessage: `No target is set for ${metric}.` });
  return setSetting(ctx, "analytics.kpi_targets", current.filter((t) => t.metric !== metric));
}

export interface KpiResult {
  metric: KpiMetric;
  label: string;
  direction: KpiDirection;
  target: string;
  /** The metric's rate over the month to `date`, null when it has no denominator. */
  actual: string | null;
  status: KpiStatus;
}

export interface KpiReport {
  date: string;
  period_start: string;
  currency: string;
  results: KpiResult[];
}

/** Actual against target for each target: the summary's rates of the month to `date`, and recognition accuracy from that month's waterfall in `currency`. */
export async function kpiReport(ctx: ServiceContext, q: { date: string; currency?: string }, known?: { summary?: AnalyticsSummary; revenue?: RevenueSummary }): Promise<KpiReport> {
  const [targets, summary, revenue] = await Promise.all([
    listKpiTargets(ctx.db),
    known?.summary ?? analyticsSummary(ctx, q),
    known?.revenue ?? revenueSummary(ctx, { month: q.date.slice(0, 7), currency: q.currency }),
  ]);
  const actualOf = (metric: KpiMetric): string | null => (metric === "recognition_accuracy" ? recognitionAccuracy(revenue) : summary[metric]);
  return {
    date: summary.date,
    period_start: summary.period_start,
    currency: summary.currency,
    results: targets.map((t) => {
      const actual = actualOf(t.metric);
      return { metric: t.metric, label: kpiLabels[t.metric], direction: t.direction, target: t.target, actual, status: kpiStatus(actual, t) };
    }),
  };
}
