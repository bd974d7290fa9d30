import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listActivePlansWithPrices, type PlanRow, type PriceRow } from "@/db/queries/catalog";
import { listLiveSubscriptions } from "@/db/queries/subscriptions";
import { Alert, EmptyState, PageHeader } from "@/components/ui";
import { PricingTable, type PricingCard } from "@/components/portal/PricingTable";
import { intervalKey, intervalName, pickablePlans, trialMessage, unitLabel } from "@/components/portal/plan-display";
import { intervalLabel, taxNote } from "@/lib/format";
import { featureLabel } from "@/lib/billing/features/features";
import { portalCustomer } from "@/lib/portal/customer";
import { planItemOf } from "@/lib/services/subscriptions/plan-item";
import { portalFormatter } from "@/lib/portal/formatter";

export const metadata: Metadata = { title: "Plans · Tally" };

const INTERVAL_ORDER = ["day", "week", "month", "year"];

export default async function PlansPage() {
  const fmt = await portalFormatter();
  const { customer } = await portalCustomer();
  const db = await getDb();
  const [catalog, live] = await Promise.all([listActivePlansWithPrices(db).then(pickablePlans), listLiveSubscriptions(db, customer.id)]);

  // Prices in the customer's billing currency. When nothing is priced in it yet, show the most
  // common currency for reference (and say so): they cannot subscribe in another currency.
  const billed = customer.currency;
  let currency = billed;
  let offered = catalog.filter((e) => e.prices.some((p) => p.currency === billed));
  const fallback = offered.length === 0 && catalog.length > 0;
  if (fallback) {
    currency = mostCommonCurrency(catalog.flatMap((e) => e.prices.map((p) => p.currency)));
    offered = catalog.filter((e) => e.prices.some((p) => p.currency === currency));
  }
  const current = live.find((s) => s.status !== "incomplete");
  // The plan is the subscription's licensed item; metered add-ons stay through a change, on their interval.
  const { plan: currentItem, addOns } = current ? planItemOf(current.items) : { plan: undefined, addOns: [] };

  const cards: PricingCard[] = offered.map(({ plan, prices }) => {
    const price = prices.find((p) => p.currency === currency)!;
    const isCurrent = plan.id === currentItem?.plan.id;
    return {
      id: plan.id,
      name: plan.name,
      description: plan.description,
      features: plan.features.map((f) => featureLabel(f, fmt)),
      intervalKey: intervalKey(plan),
      amount: fmt.money(price.unitAmount ?? 0, price.currency),
      per: `${unitLabel(plan) ? ` per ${unitLabel(plan)}` : ""} / ${intervalLabel(plan.interval, plan.intervalCount)}`,
      taxNote: taxNote(price.taxBehavior, price.currency),
      trial: current ? null : trialMessage(plan, price, fmt),
      isCurrent,
      ...cardAction({ plan, price, isCurrent, fallback, subscribed: current !== undefined, currentQuantity: currentItem?.quantity ?? 1, addOn: addOns.find((a) => intervalKey(a.plan) !== intervalKey(plan))?.plan ?? null }),
    };
  });
  const intervals = [...new Map(offered.map(({ plan }) => [intervalKey(plan), plan])).values()]
    .sort((a, b) => INTERVAL_ORDER.indexOf(a.interval) - INTERVAL_ORDER.indexOf(b.interval) || a.intervalCount - b.intervalCount)
    .map((plan) => ({ key: intervalKey(plan), label: intervalName(plan) }));
  const initialInterval = currentItem && intervals.some((i) => i.key === intervalKey(currentItem.plan)) ? intervalKey(currentItem.plan) : (intervals.find((i) => i.key === "month:1") ?? intervals[0])?.key ?? "";
  const inclusive = offered.some(({ prices }) => prices.some((p) => p.currency === currency && p.taxBehavior === "inclusive"));

  return (
    <div className="space-y-6">
      <PageHeader
        title="Plans"
        description={`Prices in ${currency.toUpperCase()}${inclusive && (currency === "aud" || currency === "nzd") ? ", including GST" : ""}. Change or cancel any time.`}
      />
      {fallback ? (
        <Alert tone="warning" title={`Our plans aren't priced in ${billed.toUpperCase()} yet`}>
          Your account is billed in {billed.toUpperCase()}, so these {currency.toUpperCase()} prices are for reference only. Please contact us to subscribe.
        </Alert>
      ) : null}
      {cards.length === 0 ? (
        <EmptyState title="No plans available" description="There are no plans to choose from yet. Please check back soon." />
      ) : (
        <PricingTable cards={cards} intervals={intervals} initialInterval={initialInterval} />
      )}
    </div>
  );
}

function cardAction(input: { plan: PlanRow; price: PriceRow; isCurrent: boolean; fallback: boolean; subscribed: boolean; currentQuantity: number; addOn: PlanRow | null }): Pick<PricingCard, "action" | "note"> {
  const { plan, price, isCurrent, fallback, subscribed, currentQuantity, addOn } = input;
  if (fallback) return { action: null, note: null };
  if (!subscribed) {
    return { action: { href: `/checkout/${encodeURIComponent(plan.code)}`, label: plan.trialPeriodDays > 0 ? "Start free trial" : `Choose ${plan.name}` }, note: null };
  }
  // A subscriber changes plans (with a proration preview) instead of checking out again.
  if (isCurrent) {
    const unit = unitLabel(plan);
    return unit
      ? { action: { href: "/subscription/change", label: `Change ${unit}s` }, note: `You have ${currentQuantity} ${currentQuantity === 1 ? unit : `${unit}s`}.` }
      : { action: null, note: "This is your current plan." };
  }
  // Every item bills on one interval: a plan on another interval would leave the add-on behind.
  if (addOn) return { action: null, note: `Your ${addOn.name} add-on is billed every ${intervalLabel(addOn.interval, addOn.intervalCount)}: contact support to switch to this plan.` };
  return { action: { href: `/subscription/change?price=${encodeURIComponent(price.id)}`, label: `Switch to ${plan.name}` }, note: null };
}

function mostCommonCurrency(currencies: string[]): string {
  const counts = new Map<string, number>();
  for (const c of currencies) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? "usd";
}
