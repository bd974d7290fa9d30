import { apiRoute } from "@/lib/api/handler";
import { resumeSubscriptionOp } from "@/lib/api/operations/subscriptions";
import { toSubscription } from "@/lib/api/resources/subscription";
import { subscriptionForKey } from "@/lib/api/scope";
import { resumeSubscription } from "@/lib/services/subscriptions/pause-subscription";

export const dynamic = "force-dynamic";

export const POST = apiRoute(resumeSubscriptionOp, async ({ db, actor, apiKey, now, requestId, params }) => {
  await subscriptionForKey(db, params.id, apiKey.livemode);
  await resumeSubscription({ db, actor, now, requestId }, params.id);
  return toSubscription(await subscriptionForKey(db, params.id, apiKey.livemode));
});
