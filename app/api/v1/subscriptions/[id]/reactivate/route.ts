import { apiRoute } from "@/lib/api/handler";
import { reactivateSubscriptionOp } from "@/lib/api/operations/subscriptions";
import { toSubscription } from "@/lib/api/resources/subscription";
import { subscriptionForKey } from "@/lib/api/scope";
import { reactivateSubscription } from "@/lib/services/subscriptions/cancel-subscription";

export const dynamic = "force-dynamic";

export const POST = apiRoute(reactivateSubscriptionOp, async ({ db, actor, apiKey, now, requestId, params }) => {
  await subscriptionForKey(db, params.id, apiKey.livemode);
  await reactivateSubscription({ db, actor, now, requestId }, params.id);
  return toSubscription(await subscriptionForKey(db, params.id, apiKey.livemode));
});
