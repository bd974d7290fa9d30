import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listActivePlansWithPrices } from "@/db/queries/catalog";
import { listLiveSubscriptions } from "@/db/queries/subscriptions";
import { Badge, ButtonLink, Card, EmptyState, PageHeader } from "@/components/ui";
import { formatMoney, intervalLabel, taxNote } from "@/lib/format";
import { portalCustomer } from "@/lib/portal/customer";

export const metadata: Metadata = { title: "Plans · Tally" };

export default async function PlansPage() {
  const { customer } = await portalCustomer();
  const db = await getDb();
  const [catalog, live] = await Promise.all([listActivePlansWithPrices(db), listLiveSubscriptions(db, customer.id)]);
  const offered = catalog
    .map((entry) => ({ ...entry, price: entry.prices.find((p) => p.currency === customer.currency) }))
    .filter((entry) => entry.price);
  const current = live.find((s) => s.status !== "incomplete");
  const currentPlanId = current?.items[0]?.plan.id;

  return (
    <div className="space-y-6">
      <PageHeader title="Plans" description={`Prices in ${customer.currency.toUpperCase()}. Cancel any time.`} />
      {offered.length === 0 ? (
        <EmptyState title="No plans available" description={`There are no plans priced in ${customer.currency.toUpperCase()} yet.`} />
      ) : (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {offered.map(({ plan, price }) => {
            if (!price) return null;
            const isCurrent = plan.id === currentPlanId;
            return (
              <Card key={plan.id} className={`flex flex-col p-5 ${isCurrent ? "ring-2 ring-brand-500" : ""}`}>
                <div className="flex items-start justify-between gap-2">
                  <h2 className="text-base font-semibold text-slate-900">{plan.name}</h2>
                  {isCurrent ? <Badge tone="success">Current plan</Badge> : plan.trialPeriodDays > 0 ? <Badge tone="info">{plan.trialPeriodDays}-day free trial</Badge> : null}
                </div>
                <p className="mt-1 text-sm text-slate-600">{plan.description}</p>
                <p className="mt-4">
                  <span className="text-3xl font-semibold tracking-tight text-slate-900">{formatMoney(price.unitAmount ?? 0, price.currency)}</span>
                  <span className="ml-1 text-sm text-slate-600">/ {intervalLabel(plan.interval, plan.intervalCount)}</span>
                </p>
                <p className="text-xs text-slate-500">{taxNote(price.taxBehavior, price.currency)}</p>
                <ul className="mt-4 flex-1 space-y-1.5 text-sm text-slate-700">
                  {plan.features.map((f) => (
                    <li key={f} className="flex gap-2">
                      <span aria-hidden className="text-brand-600">✓</span>
                      {f}
                    </li>
                  ))}
                </ul>
                <div className="mt-5">
                  {current ? (
                    isCurrent ? null : <p className="text-xs text-slate-500">You are on {current.items[0]?.plan.name}.</p>
                  ) : (
                    <ButtonLink href={`/checkout/${plan.code}`} fullWidth>
                      {plan.trialPeriodDays > 0 ? "Start free trial" : `Choose ${plan.name}`}
                    </ButtonLink>
                  )}
                </div>
              </Card>
            );
          })}
        </div>
      )}
    </div>
  );
}
