import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { ChartPanel } from "@/components/admin/analytics/ChartPanel";
import { CohortGrid } from "@/components/admin/analytics/CohortGrid";
import { FxRatesCard } from "@/components/admin/analytics/FxRatesCard";
import { LeakageCard } from "@/components/admin/analytics/LeakageCard";
import { OutcomeCards } from "@/components/admin/analytics/OutcomeCards";
import { latestLeakageRun } from "@/db/queries/leakage-runs";
import { viewerZone } from "@/lib/auth/viewer-zone";
import { MrrChart, RateTrendChart, WaterfallChart } from "@/components/admin/analytics/charts";
import { MOVEMENT_SERIES } from "@/components/admin/analytics/series";
import { FieldsForm } from "@/components/admin/FieldsForm";
import { FormDisclosure } from "@/components/admin/FormDisclosure";
import { Alert, Badge, Button, Card, CardBody, CardHeader, EmptyState, Input, PageHeader, Select, Stat, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { kpiLabels, kpiMetrics, type KpiStatus } from "@/lib/analytics/kpi-targets";
import { rateAsPercent } from "@/lib/analytics/percent";
import { parseRange, rangePresets, type AnalyticsRange } from "@/lib/analytics/range";
import { can } from "@/lib/auth/permissions";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { supportedCurrencies } from "@/lib/money";
import { analyticsOverview, type AnalyticsOverview } from "@/lib/services/analytics/overview";
import { reportProblem } from "@/lib/services/api-costs/cost-report";
import { listFxRates } from "@/lib/services/api-costs/fx";
import { signupDefaults } from "@/lib/settings/defaults";
import { recordFxRateAction, saveKpiTargetAction } from "./actions";
import type { Formatter } from "@/lib/format";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Analytics · Tally Admin" };
export const dynamic = "force-dynamic";

type Query = { range?: string; from?: string; to?: string; currency?: string; month?: string };

const monthLabel = (fmt: Formatter, month: string) => fmt.month(new Date(`${month}-01T00:00:00Z`), "short");
const statusTone: Record<KpiStatus, "success" | "danger" | "neutral"> = { met: "success", missed: "danger", no_data: "neutral" };
const statusText: Record<KpiStatus, string> = { met: "Met", missed: "Missed", no_data: "No data" };
const percent = (rate: string | null) => (rate === null ? null : Number(rate) * 100);

/** The query string of the page's current view, with `extra` on top (for the CSV links and the month picker). */
function viewQuery(range: AnalyticsRange, currency: string, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams(range.preset === "custom" ? { range: "custom", from: range.from, to: range.to } : { range: range.preset });
  p.set("currency", currency);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p.toString();
}

export default async function AnalyticsPage({ searchParams }: { searchParams: Promise<Query> }) {
  const user = await requirePageUser("analytics.read");
  const fmt = await consoleFormatter();
  const now = new Date();
  const q = await searchParams;
  const parsed = parseRange(q, now);
  const range = "error" in parsed ? (parseRange({}, now) as AnalyticsRange) : parsed;
  const currency = (q.currency && supportedCurrencies().includes(q.currency.toLowerCase()) ? q.currency : signupDefaults.currency).toLowerCase();
  const month = q.month && /^\d{4}-(0[1-9]|1[0-2])$/.test(q.month) && q.month <= range.to.slice(0, 7) ? q.month : range.to.slice(0, 7);
  const ctx = { db: await getDb(), actor: actorOf(user), now };
  let overview: AnalyticsOverview | null = null;
  let problem: string | null = null;
  try {
    overview = await analyticsOverview(ctx, { range, currency, month });
  } catch (error) {
    problem = reportProblem(error);
  }

  return (
    <div className="space-y-6">
      <PageHeader
        title="Analytics"
        description="MRR and its movements, churn and retention, KPIs against their targets, cohorts, dunning and retention-offer outcomes and the revenue recognition waterfall. Days and months are UTC; amounts are in the reporting currency at each day's exchange rate (decisions 032, 033 and 035)."
      />
      <RangeForm range={range} currency={currency} />
      {"error" in parsed ? <Alert tone="warning">{parsed.error} Showing the last 12 months.</Alert> : null}
      {problem ? (
        <Alert tone="warning" title="An exchange rate is missing">
          {problem} Until it is added the figures cannot be shown in {currency.toUpperCase()}; choose another reporting currency or record the rate under Exchange rates below.
        </Alert>
      ) : null}
      {overview ? <Overview overview={overview} month={month} canEdit={can(user.role, "analytics.targets_write")} /> : null}
      <FxRatesCard rates={await listFxRates(ctx.db, { limit: 20 })} action={can(user.role, "fx_rates.write") ? recordFxRateAction : undefined} today={now.toISOString().slice(0, 10)} />
      {can(user.role, "leakage.read") ? <LeakageCard fmt={fmt} run={await latestLeakageRun(ctx.db)} timeZone={(await viewerZone()).timeZone} /> : null}
    </div>
  );
}

function RangeForm({ range, currency }: { range: AnalyticsRange; currency: string }) {
  return (
    <form method="get" action="/admin/analytics" aria-label="Date range" className="flex flex-wrap items-end gap-2">
      <Select
        label="Range"
        name="range"
        defaultValue={range.preset}
        options={[...rangePresets.map((p) => ({ value: p.key, label: p.label })), { value: "custom", label: "Custom dates" }]}
        wrapperClassName="w-44"
      />
      <Input label="From" name="from" type="date" defaultValue={range.from} wrapperClassName="w-40" />
      <Input label="To" name="to" type="date" defaultValue={range.to} wrapperClassName="w-40" />
      <Select label="Currency" name="currency" defaultValue={currency} options={supportedCurrencies().map((c) => ({ value: c, label: c.toUpperCase() }))} wrapperClassName="w-28" />
      <Button type="submit" variant="secondary">
        Show
      </Button>
    </form>
  );
}

async function Overview({ overview, month, canEdit }: { overview: AnalyticsOverview; month: string; canEdit: boolean }) {
  const fmt = await consoleFormatter();
  const { currency, range, summary } = overview;
  const money = (minor: number) => fmt.money(minor, currency);
  const csv = (chart: string, extra: Record<string, string> = {}) => `/admin/analytics/export.csv?${viewQuery(range, currency, { chart, ...extra })}`;
  const hasMrr = overview.mrr.some((p) => p.mrr !== 0 || MOVEMENT_SERIES.some((s) => p[s.key] !== 0));
  const bucketLabel = (date: string) => (range.interval === "day" ? fmt.dayMonth(new Date(`${date}T00:00:00Z`)) : monthLabel(fmt, date.slice(0, 7)));
  const trendSeries = [
    { key: "churn", name: "Customer churn", colour: "#dc2626" },
    { key: "nrr", name: "NRR", colour: "#4f46e5" },
  ];
  const hasTrends = overview.trends.some((t) => t.customer_churn_rate !== null || t.nrr !== null);
  const w = overview.waterfall;
  const bars = [
    { label: "Deferred opening", short: "Opening", amount: w.deferredOpening },
    { label: "Billed", short: "Billed", amount: w.billed },
    { label: "Recognised", short: "Recog.", amount: w.recognized },
    { label: "Refunded", short: "Refund", amount: w.refunded },
    { label: "Deferred closing", short: "Closing", amount: w.deferredClosing },
  ];
  const hasWaterfall = bars.some((b) => b.amount !== 0);
  const monthChoices: string[] = [];
  for (const d = new Date(`${range.to.slice(0, 7)}-01T00:00:00Z`); monthChoices.length < 24; d.setUTCMonth(d.getUTCMonth() - 1)) monthChoices.push(d.toISOString().slice(0, 7));

  return (
    <div className="space-y-6">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4 [&>*]:min-w-0">
        <Stat label="MRR" value={money(summary.mrr)} hint={`ARR ${money(summary.arr)}`} />
        <Stat label="Active customers" value={fmt.count(summary.active_customers)} hint={`ARPU ${money(summary.arpu)}`} />
        <Stat label="Customer churn (month to date)" value={rateAsPercent(summary.customer_churn_rate)} hint={`Since ${summary.period_start}`} />
        <Stat label="NRR (month to date)" value={rateAsPercent(summary.nrr)} hint={summary.ltv === null ? "LTV: no churn yet" : `LTV ${money(summary.ltv)}`} />
      </div>

      <Card>
        <CardHeader title="KPIs against targets" description={`The month to ${overview.kpis.date} (UTC). Recognition accuracy: how far the month's deferred closing balance, computed on its own, agrees with opening + billed − recognised.`} />
        <CardBody>
          {overview.kpis.results.length === 0 ? (
            <p className="text-sm text-slate-600">No targets are set.</p>
          ) : (
            <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="kpi-cards">
              {overview.kpis.results.map((r) => (
                <li key={r.metric} className="min-w-0 rounded-lg border border-slate-200 p-4" data-testid={`kpi-${r.metric}`}>
                  <div className="flex items-start justify-between gap-2">
                    <p className="text-[13px] font-medium text-slate-600">{r.label}</p>
                    <Badge tone={statusTone[r.status]}>{statusText[r.status]}</Badge>
                  </div>
                  <p className="mt-1 text-2xl font-semibold text-slate-900 tabular-nums">{rateAsPercent(r.actual)}</p>
                  <p className="text-[13px] text-slate-600">
                    Target {r.direction === "at_least" ? "at least" : "at most"} {rateAsPercent(r.target)}
                  </p>
                </li>
              ))}
            </ul>
          )}
          <div className="mt-4">
            <a href={csv("kpis")} download className="text-[13px] font-medium text-brand-700 hover:underline">
              Download KPIs as CSV
            </a>
          </div>
          {canEdit ? (
            <FormDisclosure summary="Edit a target" className="mt-4">
              <FieldsForm
                action={saveKpiTargetAction}
                submitLabel="Save target"
                fields={[
                  { kind: "select", name: "metric", label: "Metric", defaultValue: "payment_success_rate", options: kpiMetrics.map((m) => ({ value: m, label: kpiLabels[m] })) },
                  { kind: "select", name: "direction", label: "Direction", defaultValue: "at_least", options: [{ value: "at_least", label: "At least" }, { value: "at_most", label: "At most" }] },
                  { kind: "text", name: "target", label: "Target (%)", defaultValue: "", hint: "Per cent, e.g. 99 or 99.5.", required: true },
                ]}
              />
            </FormDisclosure>
          ) : null}
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="MRR and its movements" description={`By ${range.interval} from ${range.from} to ${range.to}: new, expansion and reactivation stack up, contraction and churn down; the line is MRR at each ${range.interval}'s end.`} />
        <CardBody>
          {hasMrr ? (
            <ChartPanel
              name="MRR"
              csvHref={csv("mrr")}
              chart={<MrrChart reader={fmt.reader} points={overview.mrr.map((p) => ({ ...p, label: bucketLabel(p.date) }))} currency={currency} xLabel={range.interval === "day" ? "Day (UTC)" : "Month (UTC)"} />}
              table={
                <Table caption="MRR and movements" bare>
                  <THead>
                    <TR>
                      <TH>{range.interval === "day" ? "Day" : "Month"}</TH>
                      {MOVEMENT_SERIES.map((s) => (
                        <TH key={s.key} numeric>
                          {s.name}
                        </TH>
                      ))}
                      <TH numeric>MRR</TH>
                    </TR>
                  </THead>
                  <TBody>
                    {overview.mrr.map((p) => (
                      <TR key={p.date}>
                        <TD>{bucketLabel(p.date)}</TD>
                        {MOVEMENT_SERIES.map((s) => (
                          <TD key={s.key} numeric>
                            {money(p[s.key])}
                          </TD>
                        ))}
                        <TD numeric>{money(p.mrr)}</TD>
                      </TR>
                    ))}
                  </TBody>
                </Table>
              }
            />
          ) : (
            <EmptyState title="No MRR in this range yet" description="MRR comes from finalized subscription invoices; once a subscription is billed its movements show here." />
          )}
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="Churn and net revenue retention" description="Per UTC month (month to date for the current one): customer churn = customers who churned ÷ customers at the month's start; NRR = (start MRR − churn − contraction + expansion + reactivation) ÷ start MRR." />
        <CardBody>
          {hasTrends ? (
            <ChartPanel
              name="Trends"
              csvHref={csv("trends")}
              chart={<RateTrendChart series={trendSeries} points={overview.trends.map((t) => ({ label: monthLabel(fmt, t.month), churn: percent(t.customer_churn_rate), nrr: percent(t.nrr) }))} />}
              table={
                <Table caption="Churn and NRR per month" bare>
                  <THead>
                    <TR>
                      <TH>Month</TH>
                      <TH numeric>Customer churn</TH>
                      <TH numeric>Net MRR churn</TH>
                      <TH numeric>NRR</TH>
                      <TH numeric>GRR</TH>
                    </TR>
                  </THead>
                  <TBody>
                    {overview.trends.map((t) => (
                      <TR key={t.month}>
                        <TD>{monthLabel(fmt, t.month)}</TD>
                        <TD numeric>{rateAsPercent(t.customer_churn_rate)}</TD>
                        <TD numeric>{rateAsPercent(t.net_mrr_churn_rate)}</TD>
                        <TD numeric>{rateAsPercent(t.nrr)}</TD>
                        <TD numeric>{rateAsPercent(t.grr)}</TD>
                      </TR>
                    ))}
                  </TBody>
                </Table>
              }
            />
          ) : (
            <EmptyState title="No churn or retention yet" description="Rates need customers with MRR at a month's start; they show from the month after the first subscription is billed." />
          )}
        </CardBody>
      </Card>

      <Card>
        <CardHeader
          title="Cohorts by start month"
          description={`Customers grouped by the UTC month their MRR first went above zero (${monthLabel(fmt, overview.cohorts.from)} to ${monthLabel(fmt, overview.cohorts.to)}); each cell is the cohort's MRR at the end of that month as a share of its MRR at the end of its first month, with the customers still paying. In ${currency.toUpperCase()} at the rate of ${overview.cohorts.rate_date}.`}
        />
        <CardBody>
          {overview.cohorts.cohorts.length ? (
            <ChartPanel
              name="Cohorts"
              csvHref={csv("cohorts")}
              chart={<CohortGrid fmt={fmt} cohorts={overview.cohorts.cohorts} currency={currency} view="heat" />}
              table={<CohortGrid fmt={fmt} cohorts={overview.cohorts.cohorts} currency={currency} view="amounts" />}
            />
          ) : (
            <EmptyState title="No cohorts in this range" description="A customer joins a cohort in the month its first subscription invoice makes its MRR go above zero." />
          )}
        </CardBody>
      </Card>

      <OutcomeCards fmt={fmt} overview={overview} csv={csv} />

      <Card>
        <CardHeader title={`Revenue recognition, ${monthLabel(fmt, month)}`} description={`The month's waterfall in ${currency.toUpperCase()} invoices (not converted): deferred opening + billed − recognised = deferred closing; refunded is the part of billed that refunds took back.`} />
        <CardBody>
          <form method="get" action="/admin/analytics" aria-label="Waterfall month" className="mb-4 flex flex-wrap items-end gap-2">
            {Object.entries(range.preset === "custom" ? { range: "custom", from: range.from, to: range.to, currency } : { range: range.preset, currency }).map(([k, v]) => (
              <input key={k} type="hidden" name={k} value={v} />
            ))}
            <Select label="Month" name="month" defaultValue={month} options={monthChoices.map((m) => ({ value: m, label: monthLabel(fmt, m) }))} wrapperClassName="w-40" />
            <Button type="submit" variant="secondary">
              Show month
            </Button>
          </form>
          {hasWaterfall ? (
            <ChartPanel
              name="Waterfall"
              csvHref={csv("waterfall", { month })}
              chart={<WaterfallChart reader={fmt.reader} bars={bars} currency={currency} />}
              table={
                <Table caption={`Revenue waterfall ${monthLabel(fmt, month)}`} bare>
                  <THead>
                    <TR>
                      <TH>Step</TH>
                      <TH numeric>Amount</TH>
                    </TR>
                  </THead>
                  <TBody>
                    {bars.map((b) => (
                      <TR key={b.label}>
                        <TD>{b.label}</TD>
                        <TD numeric>{money(b.amount)}</TD>
                      </TR>
                    ))}
                  </TBody>
                </Table>
              }
            />
          ) : (
            <EmptyState title={`Nothing billed or deferred in ${monthLabel(fmt, month)}`} description={`Revenue shows once ${currency.toUpperCase()} invoices are finalized.`} />
          )}
        </CardBody>
      </Card>
    </div>
  );
}
