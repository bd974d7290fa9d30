import { and, asc, desc, eq, inArray, max } from "drizzle-orm";
import type { Executor } from "../client";
import { plans, prices, products } from "../schema";

export type PlanRow = typeof plans.$inferSelect;
export type PriceRow = typeof prices.$inferSelect;
export type ProductRow = typeof products.$inferSelect;

export async function findPriceWithPlan(tx: Executor, priceId: string): Promise<{ price: PriceRow; plan: PlanRow } | undefined> {
  const [row] = await tx.select({ price: prices, plan: plans }).from(prices).innerJoin(plans, eq(plans.id, prices.planId)).where(eq(prices.id, priceId));
  return row;
}

/** Active plans with their current (highest-version, active) price per currency. */
export async function listActivePlansWithPrices(tx: Executor): Promise<{ plan: PlanRow; product: ProductRow; prices: PriceRow[] }[]> {
  const rows = await tx
    .select({ plan: plans, product: products, price: prices })
    .from(plans)
    .innerJoin(products, eq(products.id, plans.productId))
    .innerJoin(prices, and(eq(prices.planId, plans.id), eq(prices.active, true)))
    .where(and(eq(plans.active, true), eq(products.active, true)))
    .orderBy(asc(plans.sortOrder), asc(plans.code), asc(prices.currency), desc(prices.version));
  const byPlan = new Map<string, { plan: PlanRow; product: ProductRow; prices: PriceRow[] }>();
  for (const row of rows) {
    const entry = byPlan.get(row.plan.id) ?? { plan: row.plan, product: row.product, prices: [] };
    if (!entry.prices.some((p) => p.currency === row.price.currency)) entry.prices.push(row.price);
    byPlan.set(row.plan.id, entry);
  }
  return [...byPlan.values()];
}

/** The current price per currency of each plan: the highest active version. */
export async function currentPrices(tx: Executor, planIds: string[]): Promise<Map<string, PriceRow[]>> {
  const byPlan = new Map<string, PriceRow[]>();
  if (planIds.length === 0) return byPlan;
  const rows = await tx.select().from(prices).where(and(inArray(prices.planId, planIds), eq(prices.active, true))).orderBy(asc(prices.currency), desc(prices.version));
  for (const row of rows) {
    const list = byPlan.get(row.planId) ?? [];
    if (!list.some((p) => p.currency === row.currency)) list.push(row);
    byPlan.set(row.planId, list);
  }
  return byPlan;
}

export async function findPlan(tx: Executor, id: string): Promise<PlanRow | undefined> {
  const [row] = await tx.select().from(plans).where(eq(plans.id, id));
  return row;
}

export async function lockPlan(tx: Executor, id: string): Promise<PlanRow | undefined> {
  const [row] = await tx.select().from(plans).where(eq(plans.id, id)).for("update");
  return row;
}

export async function findPlanByCode(tx: Executor, code: string): Promise<PlanRow | undefined> {
  const [row] = await tx.select().from(plans).where(eq(plans.code, code));
  return row;
}

/** The plans among `ids` that exist, in no particular order. */
export async function findPlans(tx: Executor, ids: readonly string[]): Promise<PlanRow[]> {
  if (ids.length === 0) return [];
  return tx.select().from(plans).where(inArray(plans.id, [...ids]));
}

export async function findProduct(tx: Executor, id: string): Promise<ProductRow | undefined> {
  const [row] = await tx.select().from(products).where(eq(products.id, id));
  return row;
}

export async function lockProduct(tx: Executor, id: string): Promise<ProductRow | undefined> {
  const [row] = await tx.select().from(products).where(eq(products.id, id)).for("update");
  return row;
}

export async function findPrice(tx: Executor, id: string): Promise<PriceRow | undefined> {
  const [row] = await tx.select().from(prices).where(eq(prices.id, id));
  return row;
}

/** The highest version of (plan, currency) so far, active or not; 0 when there is none. */
export async function latestPriceVersion(tx: Executor, planId: string, currency: string): Promise<number> {
  const [row] = await tx
    .select({ version: max(prices.version) })
    .from(prices)
    .where(and(eq(prices.planId, planId), eq(prices.currency, currency)));
  return row?.version ?? 0;
}
