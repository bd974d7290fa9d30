import { and, desc, eq, inArray, notInArray } from "drizzle-orm";
import type { Executor } from "../client";
import { plans, prices, subscriptionItems, subscriptions } from "../schema";

export type SubscriptionRow = typeof subscriptions.$inferSelect;

export interface SubscriptionView extends SubscriptionRow {
  items: { id: string; quantity: number; price: typeof prices.$inferSelect; plan: typeof plans.$inferSelect }[];
}

export async function withItems(tx: Executor, rows: SubscriptionRow[]): Promise<SubscriptionView[]> {
  if (rows.length === 0) return [];
  const items = await tx
    .select({ item: subscriptionItems, price: prices, plan: plans })
    .from(subscriptionItems)
    .innerJoin(prices, eq(prices.id, subscriptionItems.priceId))
    .innerJoin(plans, eq(plans.id, prices.planId))
    .where(inArray(subscriptionItems.subscriptionId, rows.map((r) => r.id)))
    .orderBy(subscriptionItems.position);
  return rows.map((row) => ({
    ...row,
    items: items.filter((i) => i.item.subscriptionId === row.id).map((i) => ({ id: i.item.id, quantity: i.item.quantity, price: i.price, plan: i.plan })),
  }));
}

export async function findSubscription(tx: Executor, id: string): Promise<SubscriptionView | undefined> {
  const rows = await tx.select().from(subscriptions).where(eq(subscriptions.id, id));
  return (await withItems(tx, rows))[0];
}

export async function listCustomerSubscriptions(tx: Executor, customerId: string): Promise<SubscriptionView[]> {
  const rows = await tx.select().from(subscriptions).where(eq(subscriptions.customerId, customerId)).orderBy(desc(subscriptions.createdAt));
  return withItems(tx, rows);
}

/** Subscriptions that still bill or can come back: everything but canceled and expired ones. */
export async function listLiveSubscriptions(tx: Executor, customerId: string): Promise<SubscriptionView[]> {
  const rows = await tx
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.customerId, customerId), notInArray(subscriptions.status, ["canceled", "incomplete_expired"])))
    .orderBy(desc(subscriptions.createdAt));
  return withItems(tx, rows);
}
