import { apiRoute } from "@/lib/api/handler";
import { pauseSubscriptionOp } from "@/lib/api/operations/subscriptions";
import { toSubscription } from "@/lib/api/resources/subscription";
import { subscriptionForKey } from "@/lib/api/scope";
import { pauseSubscription } from "@/lib/services/subscriptions/pause-subscription";

export const dynamic = "force-dynamic";

export const POST = apiRoute(pauseSubscriptionOp, async ({ db, actor, apiKey, now, requestId, params, body }) => {
  await subscriptionForKey(db, params.id, apiKey.livemode);
  await pauseSubscription({ db, actor, now, requestId }, params.id, { resumesAt: body.resumes_at ?? null });
  return toSubscription(await subscriptionForKey(db, params.id, apiKey.livemode));
});
