import type { Executor } from "@/db/client";
import { findSubscription } from "@/db/queries/subscriptions";
import { usageFromRollups, type UsageBucket } from "@/db/queries/usage";
import { notFound } from "@/lib/errors";
import { bucketStarts, type UsageInterval } from "@/lib/usage/buckets";

export type UsageSubject = { customer: string } | { subscription: string };

/**
 * A meter version's usage over [from, to) for a customer (a subscription's usage is its customer's:
 * events are reported per customer, and a subscription item bills the meter its price names), as a
 * decimal string. Exact for any range: whole hours from the rollups, the ends from the raw events.
 */
export async function usageFor(ctx: { db: Executor }, input: UsageSubject & { meter: string; from: Date; to: Date }): Promise<string> {
  const customerId = "customer" in input ? input.customer : await subscriptionCustomer(ctx.db, input.subscription);
  const [total] = await usageFromRollups(ctx.db, { meterId: input.meter, customerId, from: input.from, to: input.to }, null);
  return total?.value ?? "0";
}

async function subscriptionCustomer(db: Executor, id: string): Promise<string> {
  const view = await findSubscription(db, id);
  if (!view) throw notFound("subscription", "subscription");
  return view.customerId;
}

/** A customer's usage per UTC day or month over [from, to), every bucket present (zero when nothing was used). */
export async function usageSeries(ctx: { db: Executor }, input: { customer: string; meter: string; from: Date; to: Date; interval: UsageInterval }): Promise<UsageBucket[]> {
  const starts = bucketStarts(input.from, input.to, input.interval);
  const found = await usageFromRollups(ctx.db, { meterId: input.meter, customerId: input.customer, from: input.from, to: input.to }, input.interval);
  const values = new Map(found.map((b) => [b.start.getTime(), b.value]));
  return starts.map((start) => ({ start, value: values.get(start.getTime()) ?? "0" }));
}
