import { getDb } from "@/db/client";
import { listActivePlansWithPrices } from "@/db/queries/catalog";
import { findPaymentMethod } from "@/db/queries/customers";
import { couponsById, listRedeemableCoupons } from "@/db/queries/discounts";
import { listCustomerSubscriptions } from "@/db/queries/subscriptions";
import { cardLabel, couponLabel, isoDay, priceLabel } from "@/components/admin/customer/format";
import { SubscriptionActions } from "@/components/admin/customer/SubscriptionActions";
import { Card, CardHeader, DescriptionList, EmptyState, StatusBadge } from "@/components/ui";
import { intervalLabel } from "@/lib/format";
import { PAUSE_AUTO_CANCEL_DAYS } from "@/lib/billing/subscriptions/state";
import { planItemOf } from "@/lib/services/subscriptions/plan-item";
import { addDays } from "@/lib/time";
import { toMajorString } from "@/lib/money";
import type { TabProps } from "./context";
import { consoleFormatter } from "@/lib/auth/console-formatter";


export async function SubscriptionsTab({ customer, allowed, now }: TabProps) {
  const fmt = await consoleFormatter();
  const db = await getDb();
  const [subscriptions, catalog, redeemable, card] = await Promise.all([
    listCustomerSubscriptions(db, customer.id),
    allowed.subscriptions ? listActivePlansWithPrices(db) : Promise.resolve([]),
    allowed.subscriptions ? listRedeemableCoupons(db, { currency: customer.currency, at: now, livemode: customer.livemode }) : Promise.resolve([]),
    customer.defaultPaymentMethodId ? findPaymentMethod(db, customer.defaultPaymentMethodId) : Promise.resolve(undefined),
  ]);
  const coupons = await couponsById(db, subscriptions.flatMap((s) => (s.couponId ? [s.couponId] : [])));
  if (subscriptions.length === 0) return <EmptyState title="No subscriptions" description="This customer has never subscribed." />;
  const prices = catalog.flatMap(({ plan, prices }) =>
    prices
      .filter((p) => p.currency === customer.currency)
      .map((p) => ({ priceId: p.id, unitAmount: p.unitAmount, label: `${plan.name} — ${p.unitAmount === null ? "usage-based" : fmt.money(p.unitAmount, p.currency)} / ${intervalLabel(plan.interval, plan.intervalCount)}` })),
  );
  const couponChoices = redeemable.map((c) => ({ id: c.id, label: couponLabel(c, fmt) }));
  return (
    <div className="space-y-6">
      {subscriptions.map((s) => {
        const plan = s.items.map((i) => (i.quantity > 1 ? `${i.quantity} × ${i.plan.name}` : i.plan.name)).join(", ");
        const coupon = s.couponId ? coupons.get(s.couponId) : undefined;
        const date = (d: Date | null) => fmt.date(d, customer.timezone);
        const { plan: planItem, addOns, refusal } = planItemOf(s.items);
        const summary = {
          id: s.id,
          status: s.status,
          plan: s.items.map((i) => i.plan.name).join(", "),
          quantity: planItem?.quantity ?? 1,
          priceId: planItem?.price.id ?? "",
          addOns: addOns.map((a) => a.plan.name),
          changeRefusal: refusal,
          price: priceLabel(s.items, s.currency, fmt),
          periodEnd: date(s.currentPeriodEnd),
          cancelAtPeriodEnd: s.cancelAtPeriodEnd,
          coupon: coupon ? couponLabel(coupon, fmt) : null,
          usageSpendThreshold: s.items.some((i) => i.price.usageType === "metered") ? (s.usageSpendThreshold === null ? "" : toMajorString(s.usageSpendThreshold, s.currency)) : null,
          currency: s.currency,
          today: isoDay(addDays(now, 1, customer.timezone), customer.timezone),
          maxResume: isoDay(addDays(now, PAUSE_AUTO_CANCEL_DAYS - 1, customer.timezone), customer.timezone),
        };
        return (
          <Card key={s.id} aria-label={`Subscription ${plan}`}>
            <CardHeader
              title={
                <span className="flex flex-wrap items-center gap-2">
                  {plan}
                  <StatusBadge status={s.status} />
                  {s.cancelAtPeriodEnd && s.status !== "canceled" ? <StatusBadge status="warning">Cancels {date(s.currentPeriodEnd)}</StatusBadge> : null}
                </span>
              }
              description={summary.price}
            />
            {allowed.subscriptions ? (
              <div className="border-b border-slate-100 px-5 py-3 empty:hidden">
                <SubscriptionActions reader={fmt.reader} customerId={customer.id} subscription={summary} prices={prices} coupons={couponChoices} defaultCard={cardLabel(card)} />
              </div>
            ) : null}
            <div className="px-5 py-1">
              <DescriptionList
                items={[
                  { label: "Current period", value: fmt.period(s.currentPeriodStart, s.currentPeriodEnd, customer.timezone) },
                  {
                    label: "Next",
                    value:
                      s.status === "canceled"
                        ? `Ended ${date(s.endedAt)}${s.cancellationReason ? ` (${s.cancellationReason})` : ""}`
                        : s.status === "paused"
                          ? s.pauseResumesAt
                            ? `Resumes ${date(s.pauseResumesAt)}`
                            : "Paused until resumed"
                          : s.cancelAtPeriodEnd
                            ? `Cancels ${date(s.currentPeriodEnd)}`
                            : s.status === "trialing"
                              ? `Trial ends ${date(s.trialEnd)}`
                              : `Renews ${date(s.currentPeriodEnd)}`,
                  },
                  ...(s.pendingChange ? [{ label: "Scheduled change", value: `New items from ${date(new Date(s.pendingChange.effective_at))}` }] : []),
                  { label: "Coupon", value: summary.coupon ?? "None" },
                  ...(s.usageSpendThreshold !== null ? [{ label: "Usage spend threshold", value: `${fmt.money(s.usageSpendThreshold, s.currency)} — notified at 80% and 100% each period` }] : []),
                  { label: "Collection", value: s.collectionMethod === "charge_automatically" ? "Charged automatically" : `Invoiced, due in ${s.daysUntilDue ?? 30} days` },
                  { label: "Subscription id", value: <span className="font-mono text-[13px] break-all">{s.id}</span> },
                ]}
              />
            </div>
          </Card>
        );
      })}
    </div>
  );
}
