import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { CostTrendChart, type CostTrendPoint } from "@/components/admin/api-costs/CostTrendChart";
import { AlertHistory } from "@/components/admin/api-costs/AlertHistory";
import { BreakdownTable, TopCustomersTable } from "@/components/admin/api-costs/CostTables";
import { HintsCard } from "@/components/admin/api-costs/HintsCard";
import { ProfitabilitySection } from "@/components/admin/api-costs/ProfitabilitySection";
import { forecastNote, ProviderSpendTable } from "@/components/admin/api-costs/ProviderSpendTable";
import { QuotaGauges } from "@/components/admin/api-costs/QuotaGauges";
import { MonthPicker, monthLabel } from "@/components/admin/api-costs/MonthPicker";
import { Alert, buttonClasses, ButtonLink, Card, CardBody, CardHeader, EmptyState, PageHeader, Stat } from "@/components/ui";
import { daysOf, monthOf, parseMonth, recentMonths } from "@/lib/api-costs/months";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { apiCostPanels, type ApiCostPanels } from "@/lib/services/api-costs/console";
import { monthCostReport, reportProblem, type MonthCostReport } from "@/lib/services/api-costs/cost-report";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "API costs · Tally Admin" };
export const dynamic = "force-dynamic";

/** The month's report, or why it cannot be made (a missing exchange rate). */
type ReportOutcome = { report: MonthCostReport; problem: null } | { report: null; problem: string };

/** Months offered by the picker: this one and the eleven before it. */
const PICKER_MONTHS = 12;

/**
 * What the platform spends on third-party APIs in a UTC month: per provider (with its budget and
 * month-end forecast), per day, per region and operation, and the customers the costs are
 * attributed to; then quotas, the alerts sent, optimisation hints and profitability
 * (apiCostPanels). Every spend figure is a costSummary row (its exact sum rounded once) in the
 * reporting currency; a figure that lacks an exchange rate says so in its own card.
 */
export default async function ApiCostsPage({ searchParams }: { searchParams: Promise<{ month?: string }> }) {
  const user = await requirePageUser("api_costs.read");
  const fmt = await consoleFormatter();
  const now = new Date();
  const { month: chosen } = await searchParams;
  const month = parseMonth(chosen, now) ?? monthOf(now);
  const current = month.key === monthOf(now).key;
  const ctx = { db: await getDb(), actor: actorOf(user), now };
  const [panels, outcome] = await Promise.all([
    apiCostPanels(ctx, { month }, fmt),
    monthCostReport(ctx, { month }).then(
      (r): ReportOutcome => ({ report: r, problem: null }),
      (error: unknown): ReportOutcome => ({ report: null, problem: reportProblem(error) }),
    ),
  ]);
  const { report, problem } = outcome;
  const providerNames = new Map(panels.providers.map((p) => [p.provider.code, p.provider.name]));
  const canWrite = can(user.role, "api_costs.write");
  const title = current ? "this month" : monthLabel(month, fmt);

  return (
    <div className="space-y-6">
      <PageHeader
        title="API costs"
        description="What the platform pays third-party APIs, by provider, region, operation and customer. Months and days are UTC; every figure is converted into the reporting currency at its day's exchange rate and rounded once per row."
        actions={
          <>
            <ButtonLink href="/admin/api-costs/providers" variant="secondary" size="sm">
              Providers
            </ButtonLink>
            <ButtonLink href="/admin/api-costs/budgets" variant="secondary" size="sm">
              Budgets
            </ButtonLink>
            <a href={`/admin/api-costs/export.csv?month=${month.key}&group_by=day`} download className={buttonClasses({ variant: "secondary", size: "sm" })}>
              Export CSV
            </a>
          </>
        }
      />
      <MonthPicker fmt={fmt} months={recentMonths(now, PICKER_MONTHS)} chosen={month.key} />
      {problem ? <Alert tone="warning">{problem}</Alert> : null}
      {report && report.providers.length === 0 && report.total.count === 0 ? (
        <EmptyState
          title="No API-cost providers yet"
          description={
            canWrite
              ? "Add the third-party APIs the platform pays for, with their rates; costs then arrive with POST /api_costs and show here."
              : "A billing admin adds the third-party APIs the platform pays for; their costs then show here."
          }
          action={
            canWrite ? (
              <ButtonLink href="/admin/api-costs/providers" size="sm">
                Add a provider
              </ButtonLink>
            ) : undefined
          }
        />
      ) : report ? (
        <MonthReport report={report} panels={panels} title={title} now={now} />
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2 [&>*]:min-w-0">
        <QuotaGauges fmt={fmt} usages={panels.quotas} current={panels.current} />
        <AlertHistory fmt={fmt} alerts={panels.alerts} providerNames={providerNames} title={title} />
      </div>
      <HintsCard hints={panels.hints} />
      <ProfitabilitySection fmt={fmt} profitability={panels.profitability} title={title} />
    </div>
  );
}

async function MonthReport({ report, panels, title, now }: { report: MonthCostReport; panels: ApiCostPanels; title: string; now: Date }) {
  const fmt = await consoleFormatter();
  const money = (minor: number) => fmt.money(minor, report.currency);
  const total = report.total.cost;
  const dearest = report.byProvider.find((p) => p.count > 0);
  const series = report.byProvider.map((p) => ({ code: p.key!, name: p.name }));
  const points: CostTrendPoint[] = daysOf(report.month, now).map((day) => ({
    day,
    label: fmt.dayMonth(new Date(`${day}T00:00:00Z`)),
    costs: Object.fromEntries(series.map((s) => [s.code, report.daily.get(s.code)?.find((r) => r.key === day)?.cost ?? 0])),
  }));
  const unattributed = report.byProvider.length > 0 && report.topCustomers.length === 0;

  return (
    <div className="space-y-6">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3 sm:gap-4 [&>*]:min-w-0">
        <Stat label={`Spend ${title}`} value={money(total)} hint={`${report.currency.toUpperCase()}, exact ${report.total.costDecimal} minor units`} />
        <Stat label="Costs recorded" value={fmt.count(report.total.count)} hint={`${report.providers.length} provider${report.providers.length === 1 ? "" : "s"}`} />
        <Stat
          label="Dearest provider"
          value={<span className="text-lg break-words">{dearest?.name ?? "—"}</span>}
          hint={dearest ? `${money(dearest.cost)} · ${((dearest.cost / Math.max(total, 1)) * 100).toFixed(1)}% of the spend` : "No costs yet"}
        />
      </div>

      <Card>
        <CardHeader
          title="Spend by provider"
          description={`Each provider's costs ${title}, dearest first, against its monthly budget (amber from 80%, red from 100%); a provider links to its regions, quota and rates.`}
        />
        <ProviderSpendTable fmt={fmt} rows={report.byProvider} total={report.total} currency={report.currency} budgets={panels.budgets} forecasts={panels.forecasts.value} />
        <div className="space-y-2 border-t border-slate-100 px-5 py-3 text-[13px] text-slate-600" data-testid="forecast-note">
          {panels.forecasts.problem !== null ? (
            <Alert tone="warning">The month-end forecast needs an exchange rate: {panels.forecasts.problem}</Alert>
          ) : (
            <p>{forecastNote([panels.forecasts.value.overall.method, ...[...panels.forecasts.value.byProvider.values()].map((f) => f.method)])}</p>
          )}
          {panels.budgets
            .filter((b) => b.problem !== null)
            .map((b) => (
              <Alert key={b.budget.id} tone="warning">
                The {b.budget.providerCode ?? "all providers"} budget&apos;s spend needs an exchange rate: {b.problem}
              </Alert>
            ))}
        </div>
      </Card>

      {report.total.count === 0 ? (
        <EmptyState title={`No API costs ${title}`} description="Costs recorded with POST /api_costs or /api_costs/batch show here by day, region, operation and customer." />
      ) : (
        <>
          <Card>
            <CardHeader title="Daily spend" description="Per provider, stacked; each bar is a UTC day's costs rounded once." />
            <CardBody>
              <CostTrendChart reader={fmt.reader} points={points} series={series} currency={report.currency} />
              {/* In a clipped box: a table ignores the width sr-only gives it and would widen the page. */}
              <div className="sr-only">
                <table>
                  <caption>Daily spend per provider</caption>
                  <thead>
                    <tr>
                      <th scope="col">Day</th>
                      {series.map((s) => (
                        <th key={s.code} scope="col">
                          {s.name}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {points.map((p) => (
                      <tr key={p.day}>
                        <th scope="row">{p.label}</th>
                        {series.map((s) => (
                          <td key={s.code}>{money(p.costs[s.code] ?? 0)}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </CardBody>
          </Card>

          <div className="grid gap-6 lg:grid-cols-2 [&>*]:min-w-0">
            <Card>
              <CardHeader title="By region" />
              <BreakdownTable fmt={fmt} rows={report.byRegion} total={total} label="Region" noKey="No region" />
            </Card>
            <Card>
              <CardHeader title="By operation" description="Units are the operation's own (tokens, lookups)." />
              <BreakdownTable fmt={fmt} rows={report.byOperation} total={total} label="Operation" noKey="—" units />
            </Card>
          </div>

          <Card>
            <CardHeader title="Top customers by cost" description="Costs attributed to a customer when they were recorded; the rest are the platform's own." />
            {unattributed ? (
              <CardBody>
                <p className="text-sm text-slate-600">No costs {title} are attributed to a customer.</p>
              </CardBody>
            ) : (
              <TopCustomersTable fmt={fmt} rows={report.topCustomers} total={total} />
            )}
          </Card>
          <p className="text-[13px] text-slate-600">
            Export CSV gives a row per day and provider; also{" "}
            {(["provider", "region", "operation", "customer"] as const).map((g, i) => (
              <span key={g}>
                {i > 0 ? ", " : ""}
                <a href={`/admin/api-costs/export.csv?month=${report.month.key}&group_by=${g}`} download className="text-brand-700 hover:underline">
                  by {g}
                </a>
              </span>
            ))}{" "}
            for the month as a whole.
          </p>
        </>
      )}
    </div>
  );
}
