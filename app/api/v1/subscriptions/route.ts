import { and, eq } from "drizzle-orm";
import { subscriptions } from "@/db/schema";
import { keysetPage } from "@/db/queries/paginate";
import { findSubscription, withItems } from "@/db/queries/subscriptions";
import { apiRoute } from "@/lib/api/handler";
import { createSubscriptionOp, listSubscriptionsOp } from "@/lib/api/operations/subscriptions";
import { toList } from "@/lib/api/pagination";
import { toSubscription } from "@/lib/api/resources/subscription";
import { customerForKey } from "@/lib/api/scope";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createSubscriptionOp, async ({ db, actor, apiKey, now, requestId, body }) => {
  await customerForKey(db, body.customer, apiKey.livemode, "customer");
  const { subscription } = await createSubscription(
    { db, actor, now, requestId },
    {
      customerId: body.customer,
      items: body.items.map((i) => ({ priceId: i.price, quantity: i.quantity ?? 1 })),
      trialPeriodDays: body.trial_period_days,
      collectionMethod: body.collection_method,
      daysUntilDue: body.days_until_due,
      couponId: body.coupon,
      promotionCode: body.promotion_code,
      billingCycleAnchor: body.billing_cycle_anchor ?? null,
      usageSpendThreshold: body.usage_spend_threshold ?? null,
    },
  );
  const view = await findSubscription(db, subscription.id);
  if (!view) throw new Error("subscription vanished");
  return toSubscription(view);
});

export const GET = apiRoute(listSubscriptionsOp, async ({ db, apiKey, query, req }) => {
  const where = and(
    eq(subscriptions.livemode, apiKey.livemode),
    query.customer ? eq(subscriptions.customerId, query.customer) : undefined,
    query.status ? eq(subscriptions.status, query.status) : undefined,
  );
  const { rows, direction } = await keysetPage(db, subscriptions, where, { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  const views = await withItems(db, rows);
  return toList(views.map(toSubscription), query.limit, new URL(req.url).pathname, direction);
});
