import type { Metadata } from "next";
import Link from "next/link";
import { ConfirmAction } from "@/components/admin/ConfirmAction";
import { Badge, Card, CardBody, CardHeader, EmptyState, PageHeader } from "@/components/ui";
import { getDb } from "@/db/client";
import { customerLabels } from "@/db/queries/customers";
import { latestLeakageRun } from "@/db/queries/leakage-runs";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { viewerZone } from "@/lib/auth/viewer-zone";
import { LEAKAGE_RULES, SNAPSHOT_ITEMS_PER_RULE, leakageRuleCatalog, type LeakageItem, type RuleTotals } from "@/lib/billing/leakage/rules";
import { runLeakageChecksAction } from "./actions";
import type { Formatter } from "@/lib/format";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Revenue leakage · Tally Admin" };
export const dynamic = "force-dynamic";

const customerPage = (item: LeakageItem, query = "") => `/admin/customers/${item.customerId}${query}`;
const amountText = (fmt: Formatter, t: RuleTotals) => (t.amounts.length === 0 ? "—" : t.amounts.map((a) => fmt.money(a.amount, a.currency)).join(" · "));

export default async function LeakagePage() {
  const user = await requirePageUser("leakage.read");
  const fmt = await consoleFormatter();
  const db = await getDb();
  const [run, { timeZone }] = await Promise.all([latestLeakageRun(db), viewerZone()]);
  const names = await customerLabels(db, run?.items.map((i) => i.customerId) ?? []);
  const mayRun = can(user.role, "leakage.run");
  const runButton = mayRun ? (
    <ConfirmAction
      action={runLeakageChecksAction}
      fields={{}}
      triggerLabel="Run checks now"
      triggerVariant="primary"
      triggerSize="md"
      title="Run the leakage checks now?"
      body="Tally runs the six checks over every subscription, invoice and payment and replaces today's results. Nothing is billed or changed."
      confirmLabel="Run checks"
    />
  ) : null;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Revenue leakage"
        description={
          <>
            Money billing may be losing: periods not invoiced, unpaid invoices nothing is collecting, coupons past their end, gateway payments not recorded, usage not billed and cards that will fail at renewal.
            The checks run daily.{" "}
            <Link href="/admin/exports" className="font-medium text-brand-700 hover:underline">
              Export invoices, payments or MRR movements
            </Link>
            .
          </>
        }
        actions={runButton}
      />

      {!run ? (
        <EmptyState title="The checks have not run yet" description="They run once a day; the first results appear here after the first run." action={runButton} />
      ) : (
        <>
          <p className="text-sm text-slate-700" data-testid="leakage-last-run">
            Last run: <span className="font-medium text-slate-900">{fmt.dateTime(run.ranAt, timeZone, { zoneName: true })}</span>
          </p>
          <nav aria-label="Rules" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {run.totals.map((t) => (
              <a key={t.rule} href={`#${t.rule}`} className="min-w-0 rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-card hover:border-brand-300">
                <div className="text-[13px] font-medium text-slate-600">{leakageRuleCatalog[t.rule].title}</div>
                <div className="mt-1 flex flex-wrap items-baseline gap-x-2">
                  <span className="text-2xl font-semibold text-slate-900 tabular-nums" data-testid={`leakage-count-${t.rule}`}>
                    {t.count}
                  </span>
                  <span className="text-sm break-words text-slate-700 tabular-nums">{t.count > 0 ? `${amountText(fmt, t)} at risk` : "Nothing found"}</span>
                </div>
              </a>
            ))}
          </nav>

          {LEAKAGE_RULES.map((rule) => {
            const totals = run.totals.find((t) => t.rule === rule) ?? { rule, count: 0, amounts: [] };
            const found = run.items.filter((i) => i.rule === rule);
            const definition = leakageRuleCatalog[rule];
            return (
              <Card key={rule} id={rule} aria-labelledby={`${rule}-title`} className="scroll-mt-20">
                <CardHeader
                  title={<span id={`${rule}-title`}>{definition.title}</span>}
                  description={`${definition.description} Amount at risk: ${definition.amount}.`}
                  actions={
                    <Badge tone={totals.count > 0 ? "warning" : "success"}>
                      {totals.count === 0 ? "None" : `${totals.count} · ${amountText(fmt, totals)}`}
                    </Badge>
                  }
                />
                <CardBody>
                  {found.length === 0 ? (
                    <p className="text-sm text-slate-600">Nothing found.</p>
                  ) : (
                    <ul className="divide-y divide-slate-100" aria-label={definition.title}>
                      {found.map((item, i) => {
                        const who = names.get(item.customerId);
                        return (
                          <li key={`${item.customerId}-${item.subscriptionId}-${item.invoiceId}-${item.paymentId}-${i}`} className="flex flex-col gap-1 py-3 sm:flex-row sm:items-start sm:justify-between sm:gap-4">
                            <div className="min-w-0">
                              <Link href={customerPage(item)} className="font-medium break-words text-brand-700 hover:underline">
                                {who?.name ?? who?.email ?? item.customerId}
                              </Link>
                              <p className="text-[13px] break-words text-slate-700">{item.detail}</p>
                              <p className="flex flex-wrap gap-x-3 text-[13px]">
                                {item.subscriptionId && (
                                  <Link href={customerPage(item, "?tab=subscriptions")} className="font-mono break-all text-brand-700 hover:underline">
                                    {item.subscriptionId}
                                  </Link>
                                )}
                                {item.invoiceId && (
                                  <Link href={customerPage(item, `?tab=invoices&invoice=${item.invoiceId}`)} className="font-mono break-all text-brand-700 hover:underline">
                                    {item.invoiceId}
                                  </Link>
                                )}
                                {item.paymentId && (
                                  <Link href={customerPage(item, "?tab=payments")} className="font-mono break-all text-brand-700 hover:underline">
                                    {item.paymentId}
                                  </Link>
                                )}
                              </p>
                            </div>
                            <span className="shrink-0 font-medium text-slate-900 tabular-nums">{fmt.money(item.amount, item.currency)}</span>
                          </li>
                        );
                      })}
                    </ul>
                  )}
                  {totals.count > found.length && (
                    <p className="mt-2 text-[13px] text-slate-600">
                      The {SNAPSHOT_ITEMS_PER_RULE} largest of {totals.count} are listed; the count and amount cover all of them.
                    </p>
                  )}
                </CardBody>
              </Card>
            );
          })}
        </>
      )}
    </div>
  );
}
