import { apiRoute } from "@/lib/api/handler";
import { subscriptionUsageOp } from "@/lib/api/operations/usage";
import { iso } from "@/lib/api/resources/common";
import { subscriptionForKey } from "@/lib/api/scope";
import { subscriptionUsage } from "@/lib/services/usage/subscription-usage";

export const dynamic = "force-dynamic";

export const GET = apiRoute(subscriptionUsageOp, async ({ db, actor, apiKey, now, requestId, params }) => {
  await subscriptionForKey(db, params.id, apiKey.livemode);
  const usage = await subscriptionUsage({ db, actor, now, requestId }, params.id);
  return {
    object: "subscription_usage" as const,
    subscription: params.id,
    currency: usage.currency,
    period_start: iso(usage.periodStart),
    period_end: iso(usage.periodEnd),
    meters: usage.items.map((m) => ({ meter: m.meterId, price: m.priceId, from: iso(m.from), to: iso(m.to), value: m.value, quantity: m.quantity, amount: m.amount })),
  };
});
