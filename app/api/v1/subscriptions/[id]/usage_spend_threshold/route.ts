import { apiRoute } from "@/lib/api/handler";
import { setUsageSpendThresholdOp } from "@/lib/api/operations/subscriptions";
import { toSubscription } from "@/lib/api/resources/subscription";
import { subscriptionForKey } from "@/lib/api/scope";
import { setUsageSpendThreshold } from "@/lib/services/subscriptions/usage-spend-threshold";

export const dynamic = "force-dynamic";

export const POST = apiRoute(setUsageSpendThresholdOp, async ({ db, actor, apiKey, now, requestId, params, body }) => {
  await subscriptionForKey(db, params.id, apiKey.livemode);
  await setUsageSpendThreshold({ db, actor, now, requestId }, params.id, body.amount);
  return toSubscription(await subscriptionForKey(db, params.id, apiKey.livemode));
});
