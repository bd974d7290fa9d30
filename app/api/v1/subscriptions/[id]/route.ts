import { findSubscription } from "@/db/queries/subscriptions";
import { apiRoute } from "@/lib/api/handler";
import { retrieveSubscriptionOp } from "@/lib/api/operations/subscriptions";
import { toSubscription } from "@/lib/api/resources/subscription";
import { notFound } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrieveSubscriptionOp, async ({ db, apiKey, params }) => {
  const view = await findSubscription(db, params.id);
  if (!view || view.livemode !== apiKey.livemode) throw notFound("subscription", "id");
  return toSubscription(view);
});
