import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { plans, prices, subscriptionItems, subscriptions } from "@/db/schema";
import type { CustomerRow } from "@/db/queries/customers";

/** Subscription statuses that still serve the customer (a past_due one is in its grace period). */
export const ACCESS_GRANTING = ["active", "trialing", "past_due"] as const;

export interface Entitlements {
  access: "active" | "warning" | "blocked";
  features: string[];
  subscriptions: { id: string; status: string; plan: string | null }[];
}

/**
 * Whether to serve the customer and with which features: the union of the plans' features of the
 * customer's live subscriptions that grant access; none when dunning blocked the customer.
 */
export async function customerEntitlements(tx: Executor, customer: Pick<CustomerRow, "id" | "status">): Promise<Entitlements> {
  const subs = await tx
    .select({ id: subscriptions.id, status: subscriptions.status })
    .from(subscriptions)
    .where(and(eq(subscriptions.customerId, customer.id), inArray(subscriptions.status, ["active", "trialing", "past_due", "unpaid", "paused", "incomplete"])))
    .orderBy(asc(subscriptions.createdAt), asc(subscriptions.id));
  const items = subs.length
    ? await tx
        .select({ subscriptionId: subscriptionItems.subscriptionId, planId: plans.id, features: plans.features })
        .from(subscriptionItems)
        .innerJoin(prices, eq(prices.id, subscriptionItems.priceId))
        .innerJoin(plans, eq(plans.id, prices.planId))
        .where(inArray(subscriptionItems.subscriptionId, subs.map((s) => s.id)))
        .orderBy(asc(subscriptionItems.id))
    : [];
  const features = new Set<string>();
  if (customer.status !== "blocked") {
    for (const item of items) {
      const sub = subs.find((s) => s.id === item.subscriptionId);
      if (sub && (ACCESS_GRANTING as readonly string[]).includes(sub.status)) for (const f of item.features) features.add(f);
    }
  }
  return {
    access: customer.status,
    features: [...features].sort(),
    subscriptions: subs.map((s) => ({ id: s.id, status: s.status, plan: items.find((i) => i.subscriptionId === s.id)?.planId ?? null })),
  };
}
