import { and, asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { DAY_MS } from "@/lib/time";
import { auditLog, cancellationAttempts } from "@/db/schema";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { makePlan, makeProduct } from "../factories";
import { clockCustomer } from "../scenarios/support";

/** 1 Jun 2027 09:00 AEST: periods run 1 Jun → 1 Jul → 1 Aug. */
export const START = new Date("2027-05-31T23:00:00Z");
export const JUL1 = new Date("2027-06-30T23:00:00Z");
export { DAY_MS };

/** One product with Pro (A$29.00) and Starter (A$10.00) monthly, GST-inclusive: Starter is Pro's next cheaper plan. */
export async function makeTiers() {
  const db = await getDb();
  const productId = await makeProduct(db, "Retention Cloud");
  return {
    pro: await makePlan(db, { productId, code: "pro", name: "Pro", unitAmount: 2900, sortOrder: 2 }),
    starter: await makePlan(db, { productId, code: "starter", name: "Starter", unitAmount: 1000, sortOrder: 1 }),
  };
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
