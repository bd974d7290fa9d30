import { and, asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog, cancellationAttempts, plans, prices, products } from "@/db/schema";
import { newId } from "@/lib/ids";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { clockCustomer } from "../scenarios/support";
import { DAY_MS } from "@/lib/time";

/** 1 Jun 2027 09:00 AEST: periods run 1 Jun → 1 Jul → 1 Aug. */
export const START = new Date("2027-05-31T23:00:00Z");
export const JUL1 = new Date("2027-06-30T23:00:00Z");
export { DAY_MS };

/** One product with Pro (A$29.00) and Starter (A$10.00) monthly, GST-inclusive: Starter is Pro's next cheaper plan. */
export async function makeTiers() {
  const db = await getDb();
  const productId = newId("product");
  await db.insert(products).values({ id: productId, name: "Retention Cloud" });
  const plan = async (code: string, name: string, unitAmount: number, sortOrder: number) => {
    const planId = newId("plan");
    await db.insert(plans).values({ id: planId, productId, code: `${code}-${planId.slice(-8)}`, name, interval: "month", intervalCount: 1, sortOrder });
    const priceId = newId("price");
    await db.insert(prices).values({ id: priceId, planId, currency: "aud", version: 1, taxBehavior: "inclusive", unitAmount });
    return { planId, priceId };
  };
  return { pro: await plan("pro", "Pro", 2900, 2), starter: await plan("starter", "Starter", 1000, 1) };
}

/** A customer on a test clock at START with a card, subscribed to `priceId`, 9 days into the period. */
export async function subscriber(priceId: string) {
  const clock = await clockCustomer(START);
  const { subscription } = await createSubscription(clock.ctx, { customerId: clock.customerId, items: [{ priceId, quantity: 1 }] });
  await clock.advance(new Date(START.getTime() + 9 * DAY_MS));
  return { ...clock, subscription };
}

export async function attemptRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(cancellationAttempts).where(eq(cancellationAttempts.id, id));
  if (!row) throw new Error(`no attempt ${id}`);
  return row;
}

export async function auditActions(entityId: string): Promise<string[]> {
  const db = await getDb();
  const rows = await db.select().from(auditLog).where(and(eq(auditLog.entityId, entityId))).orderBy(asc(auditLog.id));
  return rows.map((r) => r.action);
}
