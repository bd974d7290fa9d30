import { apiRoute } from "@/lib/api/handler";
import { cancelSubscriptionOp } from "@/lib/api/operations/subscriptions";
import { toSubscription } from "@/lib/api/resources/subscription";
import { subscriptionForKey } from "@/lib/api/scope";
import { cancelSubscription } from "@/lib/services/subscriptions/cancel-subscription";

export const dynamic = "force-dynamic";

export const POST = apiRoute(cancelSubscriptionOp, async ({ db, actor, apiKey, now, requestId, params, body }) => {
  await subscriptionForKey(db, params.id, apiKey.livemode);
  await cancelSubscription({ db, actor, now, requestId }, params.id, { atPeriodEnd: body.at_period_end ?? false, prorate: body.prorate ?? false, refund: body.refund ?? false, reason: body.reason ?? null });
  return toSubscription(await subscriptionForKey(db, params.id, apiKey.livemode));
});
