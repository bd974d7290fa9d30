import type { Metadata } from "next";
import { Alert, Badge, Card, CardBody, CardHeader, EmptyState, PageHeader } from "@/components/ui";
import { ConfirmAction } from "@/components/admin/ConfirmAction";
import { FieldsForm } from "@/components/admin/FieldsForm";
import { SpendBar } from "@/components/admin/api-costs/SpendBar";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/permissions";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { toMajorString } from "@/lib/money";
import { budgetStatuses, type BudgetStatus } from "@/lib/services/api-costs/budgets";
import { listCostProviders } from "@/lib/services/api-costs/providers";
import { signupDefaults } from "@/lib/settings/defaults";
import { createBudgetAction, deleteBudgetAction, updateBudgetAction } from "./actions";
import type { Formatter } from "@/lib/format";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "API cost budgets · Tally Admin" };
export const dynamic = "force-dynamic";

const monthLabel = (fmt: Formatter, at: Date) => fmt.month(at);

async function BudgetItem({ status, providerNames, canWrite }: { status: BudgetStatus; providerNames: Map<string, string>; canWrite: boolean }) {
  const fmt = await consoleFormatter();
  const { budget, spent, percent, fired, problem } = status;
  const scope = budget.providerCode === null ? "All providers" : (providerNames.get(budget.providerCode) ?? budget.providerCode);
  return (
    <li className="space-y-3 px-5 py-4" data-testid="budget">
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-1">
        <div>
          <p className="font-medium text-slate-900">{scope}</p>
          <p className="text-[13px] text-slate-600">{budget.providerCode === null ? "Every provider's costs" : <span className="font-mono">{budget.providerCode}</span>} · {budget.currency.toUpperCase()} · monthly</p>
        </div>
        <p className="text-sm text-slate-700 tabular-nums">
          <span className="font-semibold text-slate-900">{fmt.money(spent, budget.currency)}</span> of {fmt.money(budget.amount, budget.currency)}
          <span className="ml-2 text-slate-500">{percent}%</span>
        </p>
      </div>
      {problem ? <Alert tone="warning">{problem}</Alert> : <SpendBar percent={percent} label={`${percent}% of the budget spent`} />}
      <div className="flex flex-wrap items-center gap-1.5 text-[13px] text-slate-600">
        <span>Alerts at</span>
        {budget.alertThresholds.map((t) => (
          <Badge key={t} tone={fired.includes(t) ? (t >= 100 ? "danger" : "warning") : "neutral"}>
            {t}%{fired.includes(t) ? " · sent" : ""}
          </Badge>
        ))}
      </div>
      {canWrite ? (
        <div className="flex flex-wrap items-start gap-2">
          <details className="rounded-md border border-slate-300 bg-white shadow-xs open:w-full open:bg-slate-50">
            <summary className="cursor-pointer list-none px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50">Edit budget</summary>
            <FieldsForm
              action={updateBudgetAction}
              hidden={{ budgetId: budget.id }}
              submitLabel="Save budget"
              fields={[
                { kind: "text", name: "amount", label: `Monthly amount (${budget.currency.toUpperCase()})`, defaultValue: toMajorString(budget.amount, budget.currency) },
                { kind: "text", name: "alert_thresholds", label: "Alert at (% of the amount)", defaultValue: budget.alertThresholds.join(", "), hint: "Whole percentages, e.g. 50, 80, 100." },
              ]}
            />
          </details>
          <ConfirmAction
            action={deleteBudgetAction}
            fields={{ budgetId: budget.id }}
            triggerLabel="Delete"
            triggerVariant="secondary"
            title={`Delete the budget for ${scope}?`}
            body="Its alerts stop and their history for this budget goes with it. Recorded API costs are kept."
            confirmLabel="Delete budget"
            tone="danger"
          />
        </div>
      ) : null}
    </li>
  );
}

export default async function BudgetsPage() {
  const user = await requirePageUser("api_costs.read");
  const fmt = await consoleFormatter();
  const canWrite = can(user.role, "api_costs.write");
  const db = await getDb();
  const now = new Date();
  const ctx = { db, actor: actorOf(user), now };
  const [statuses, providers] = await Promise.all([budgetStatuses(db, false, now), listCostProviders(ctx)]);
  const providerNames = new Map(providers.map(({ provider }) => [provider.code, provider.name]));

  return (
    <div className="space-y-6">
      <PageHeader
        title="API cost budgets"
        description={`Monthly budgets for what Tally's third-party APIs cost, per provider or overall, converted at each day's exchange rate. Each alert threshold emails the billing admins once a month. Spend this month: ${monthLabel(fmt, now)} (UTC).`}
      />
      <Card>
        <CardHeader title="Budgets this month" description={`${statuses.length} budget${statuses.length === 1 ? "" : "s"}`} />
        {statuses.length === 0 ? (
          <CardBody>
            <EmptyState title="No budgets yet" description={canWrite ? "Create one below: for one provider, or for all of them." : "A billing admin sets the budgets."} />
          </CardBody>
        ) : (
          <ul className="divide-y divide-slate-100">
            {statuses.map((s) => (
              <BudgetItem key={s.budget.id} status={s} providerNames={providerNames} canWrite={canWrite} />
            ))}
          </ul>
        )}
      </Card>
      {canWrite ? (
        <Card>
          <CardHeader title="New budget" description="One budget per provider (or all providers) and currency." />
          <FieldsForm
            action={createBudgetAction}
            submitLabel="Create budget"
            fields={[
              {
                kind: "select",
                name: "provider",
                label: "Provider",
                defaultValue: "",
                options: [{ value: "", label: "All providers" }, ...providers.map(({ provider }) => ({ value: provider.code, label: `${provider.name} (${provider.code})` }))],
              },
              { kind: "text", name: "amount", label: "Monthly amount", defaultValue: "", placeholder: "500.00" },
              { kind: "text", name: "currency", label: "Currency", defaultValue: signupDefaults.currency.toUpperCase(), hint: "Costs in other currencies are converted at each day's rate." },
              { kind: "text", name: "alert_thresholds", label: "Alert at (% of the amount)", defaultValue: "50, 80, 100", hint: "Whole percentages from 1 to 1000." },
            ]}
          />
        </Card>
      ) : null}
    </div>
  );
}
