import { apiRoute } from "@/lib/api/handler";
import { retrieveSubscriptionOp, updateSubscriptionOp } from "@/lib/api/operations/subscriptions";
import { toSubscription } from "@/lib/api/resources/subscription";
import { subscriptionForKey } from "@/lib/api/scope";
import { updateSubscription } from "@/lib/services/subscriptions/update-subscription";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrieveSubscriptionOp, async ({ db, apiKey, params }) => toSubscription(await subscriptionForKey(db, params.id, apiKey.livemode)));

export const PATCH = apiRoute(updateSubscriptionOp, async ({ db, actor, apiKey, now, requestId, params, body }) => {
  await subscriptionForKey(db, params.id, apiKey.livemode);
  await updateSubscription({ db, actor, now, requestId }, params.id, {
    items: body.items.map((i) => ({ priceId: i.price, quantity: i.quantity ?? 1 })),
    prorationBehavior: body.proration_behavior ?? "create_prorations",
    effective: body.effective ?? "now",
  });
  return toSubscription(await subscriptionForKey(db, params.id, apiKey.livemode));
});
