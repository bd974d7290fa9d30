import { and, asc, count, countDistinct, desc, eq, gt, inArray, notInArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { coupons, customers, plans, users, priceMigrationRuns, prices, products, promotionCodes, subscriptionItems, subscriptions, type PendingChange } from "../schema";
import type { SubscriptionStatus } from "@/lib/billing/subscriptions/statuses";
import type { PlanRow, PriceRow, ProductRow } from "./catalog";
import type { CouponRow, PromotionCodeRow } from "./discounts";

/** Reads for the console's catalog pages and the price-version migration. */

export type PriceMigrationRunRow = typeof priceMigrationRuns.$inferSelect;

/** Subscriptions that still bill or may bill again: everything but the ended ones. */
const ENDED: SubscriptionStatus[] = ["canceled", "incomplete_expired"];

export async function listProductsWithPlanCounts(tx: Executor): Promise<{ product: ProductRow; plans: number }[]> {
  const rows = await tx
    .select({ product: products, plans: count(plans.id) })
    .from(products)
    .leftJoin(plans, eq(plans.productId, products.id))
    .groupBy(products.id)
    .orderBy(desc(products.active), asc(products.name), asc(products.id));
  return rows.map((r) => ({ product: r.product, plans: Number(r.plans) }));
}

export async function listProducts(tx: Executor): Promise<ProductRow[]> {
  return tx.select().from(products).orderBy(desc(products.active), asc(products.name));
}

export interface PlanOverview {
  plan: PlanRow;
  product: ProductRow;
  /** The current (highest active) version per currency. */
  current: PriceRow[];
  /** Subscriptions not ended with an item on any version of the plan. */
  subscribers: number;
}

export async function listPlansOverview(tx: Executor): Promise<PlanOverview[]> {
  const rows = await tx
    .select({ plan: plans, product: products })
    .from(plans)
    .innerJoin(products, eq(products.id, plans.productId))
    .orderBy(desc(plans.active), asc(plans.sortOrder), asc(plans.code));
  if (rows.length === 0) return [];
  const planIds = rows.map((r) => r.plan.id);
  const [priceRows, counts] = await Promise.all([
    tx.select().from(prices).where(and(inArray(prices.planId, planIds), eq(prices.active, true))).orderBy(asc(prices.currency), desc(prices.version)),
    tx
      .select({ planId: prices.planId, n: countDistinct(subscriptions.id) })
      .from(subscriptionItems)
      .innerJoin(subscriptions, eq(subscriptions.id, subscriptionItems.subscriptionId))
      .innerJoin(prices, eq(prices.id, subscriptionItems.priceId))
      .where(and(inArray(prices.planId, planIds), notInArray(subscriptions.status, ENDED)))
      .groupBy(prices.planId),
  ]);
  const subscribers = new Map(counts.map((c) => [c.planId, Number(c.n)]));
  return rows.map(({ plan, product }) => {
    const current: PriceRow[] = [];
    for (const p of priceRows) if (p.planId === plan.id && !current.some((c) => c.currency === p.currency)) current.push(p);
    return { plan, product, current, subscribers: subscribers.get(plan.id) ?? 0 };
  });
}

export interface PriceVersionStats {
  price: PriceRow;
  /** Subscriptions not ended with an item on this version now. */
  subscribers: number;
  /** Of those, how many leave it at their next renewal (a migration or a scheduled change). */
  leaving: number;
  /** Subscriptions on another version that move to this one at their next renewal. */
  arriving: number;
}

export interface PlanDetail {
  plan: PlanRow;
  product: ProductRow;
  /** Every version, newest first within each currency; currencies in alphabetical order. */
  versions: PriceVersionStats[];
}

export async function findPlanDetail(tx: Executor, planId: string): Promise<PlanDetail | undefined> {
  const [head] = await tx.select({ plan: plans, product: products }).from(plans).innerJoin(products, eq(products.id, plans.productId)).where(eq(plans.id, planId));
  if (!head) return undefined;
  const versions = await tx.select().from(prices).where(eq(prices.planId, planId)).orderBy(asc(prices.currency), desc(prices.version));
  const ids = versions.map((v) => v.id);
  // Every live subscription on a version of this plan, with its scheduled change: counted in one pass.
  const rows = ids.length
    ? await tx
        .select({ subscriptionId: subscriptions.id, priceId: subscriptionItems.priceId, pendingChange: subscriptions.pendingChange })
        .from(subscriptionItems)
        .innerJoin(subscriptions, eq(subscriptions.id, subscriptionItems.subscriptionId))
        .where(and(inArray(subscriptionItems.priceId, ids), notInArray(subscriptions.status, ENDED)))
    : [];
  const onPrice = new Map<string, Set<string>>();
  const pendingOf = new Map<string, PendingChange | null>();
  for (const row of rows) {
    const set = onPrice.get(row.priceId) ?? new Set<string>();
    set.add(row.subscriptionId);
    onPrice.set(row.priceId, set);
    pendingOf.set(row.subscriptionId, row.pendingChange);
  }
  const pendingHas = (subId: string, priceId: string) => pendingOf.get(subId)?.items.some((i) => i.price === priceId) ?? false;
  return {
    ...head,
    versions: versions.map((price) => {
      const subs = [...(onPrice.get(price.id) ?? [])];
      const arriving = [...pendingOf.keys()].filter((subId) => pendingHas(subId, price.id) && !onPrice.get(price.id)?.has(subId)).length;
      return { price, subscribers: subs.length, leaving: subs.filter((s) => pendingOf.get(s) && !pendingHas(s, price.id)).length, arriving };
    }),
  };
}

export interface CandidateRow {
  id: string;
  customerId: string;
  customerName: string | null;
  status: SubscriptionStatus;
  cancelAtPeriodEnd: boolean;
  items: { priceId: string; quantity: number }[];
  pendingItems: { priceId: string; quantity: number }[] | null;
}

/**
 * Subscriptions that may move off `fromPriceId`: in a status that renews, not ending, and billing
 * the version at their next renewal (on it with no scheduled change, or with a scheduled change that
 * keeps it). Keyset-paged by id so a migration walks them in batches. Ids are locked when `lock`.
 */
export async function migrationCandidates(
  tx: Executor,
  fromPriceId: string,
  opts: { statuses: readonly SubscriptionStatus[]; afterId?: string; limit?: number; lock?: boolean },
): Promise<CandidateRow[]> {
  const onVersion = sql`exists (select 1 from ${subscriptionItems} si where si.subscription_id = ${subscriptions.id} and si.price_id = ${fromPriceId})`;
  const keeps = sql`${subscriptions.pendingChange} -> 'items' @> ${JSON.stringify([{ price: fromPriceId }])}::jsonb`;
  const where = and(
    inArray(subscriptions.status, [...opts.statuses]),
    eq(subscriptions.cancelAtPeriodEnd, false),
    sql`((${subscriptions.pendingChange} is null and ${onVersion}) or ${keeps})`,
    opts.afterId ? gt(subscriptions.id, opts.afterId) : undefined,
  );
  const base = tx
    .select({ id: subscriptions.id, customerId: subscriptions.customerId, status: subscriptions.status, cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd, pendingChange: subscriptions.pendingChange })
    .from(subscriptions)
    .where(where)
    .orderBy(asc(subscriptions.id));
  const limited = opts.limit ? base.limit(opts.limit) : base;
  const subs = opts.lock ? await limited.for("update") : await limited;
  if (subs.length === 0) return [];
  const subIds = subs.map((s) => s.id);
  const [itemRows, customerRows] = await Promise.all([
    tx.select().from(subscriptionItems).where(inArray(subscriptionItems.subscriptionId, subIds)).orderBy(asc(subscriptionItems.position)),
    tx.select({ id: customers.id, name: customers.name, email: customers.email }).from(customers).where(inArray(customers.id, [...new Set(subs.map((s) => s.customerId))])),
  ]);
  const names = new Map(customerRows.map((c) => [c.id, c.name ?? c.email]));
  return subs.map((s) => ({
    id: s.id,
    customerId: s.customerId,
    customerName: names.get(s.customerId) ?? null,
    status: s.status,
    cancelAtPeriodEnd: s.cancelAtPeriodEnd,
    items: itemRows.filter((i) => i.subscriptionId === s.id).map((i) => ({ priceId: i.priceId, quantity: i.quantity })),
    pendingItems: s.pendingChange ? s.pendingChange.items.map((i) => ({ priceId: i.price, quantity: i.quantity })) : null,
  }));
}

/** A plan's runs, newest first, with the email of the staff member who started each (null for API keys and jobs). */
export async function listMigrationRuns(tx: Executor, planId: string, limit = 20): Promise<(PriceMigrationRunRow & { actorEmail: string | null })[]> {
  const rows = await tx
    .select({ run: priceMigrationRuns, actorEmail: users.email })
    .from(priceMigrationRuns)
    .leftJoin(users, and(eq(priceMigrationRuns.actorType, "user"), eq(users.id, priceMigrationRuns.actorId)))
    .where(eq(priceMigrationRuns.planId, planId))
    .orderBy(desc(priceMigrationRuns.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.run, actorEmail: r.actorEmail }));
}

export async function listCouponsWithCodes(tx: Executor): Promise<{ coupon: CouponRow; codes: number }[]> {
  const rows = await tx
    .select({ coupon: coupons, codes: count(promotionCodes.id) })
    .from(coupons)
    .leftJoin(promotionCodes, eq(promotionCodes.couponId, coupons.id))
    .groupBy(coupons.id)
    .orderBy(desc(coupons.valid), desc(coupons.createdAt), desc(coupons.id));
  return rows.map((r) => ({ coupon: r.coupon, codes: Number(r.codes) }));
}

export async function listPromotionCodesOfCoupon(tx: Executor, couponId: string): Promise<PromotionCodeRow[]> {
  return tx.select().from(promotionCodes).where(eq(promotionCodes.couponId, couponId)).orderBy(desc(promotionCodes.active), desc(promotionCodes.createdAt));
}

/** How many subscriptions carry the coupon now (they keep it when the coupon is invalidated). */
export async function couponSubscriptionCount(tx: Executor, couponId: string): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(subscriptions).where(and(eq(subscriptions.couponId, couponId), notInArray(subscriptions.status, ENDED)));
  return Number(row?.n ?? 0);
}
