import type { Executor } from "@/db/client";
import { findSubscription, type SubscriptionView } from "@/db/queries/subscriptions";
import { notFound } from "@/lib/errors";

/**
 * The subscription a portal action names, only when it belongs to the signed-in customer. Another
 * customer's subscription is answered exactly like a missing one: the portal never confirms it exists.
 */
export async function portalSubscription(db: Executor, customerId: string, subscriptionId: string): Promise<SubscriptionView> {
  const subscription = await findSubscription(db, subscriptionId);
  if (!subscription || subscription.customerId !== customerId) throw notFound("subscription", "subscriptionId");
  return subscription;
}
