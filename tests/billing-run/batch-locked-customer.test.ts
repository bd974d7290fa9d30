import { inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { invoices } from "@/db/schema";
import { seedDueSubscriptions } from "@/bench/billing-run/seed";
import { runDueSubscriptions } from "@/lib/services/billing-run/run-due-subscriptions";

/**
 * The batched run and a customer locked by another transaction: the batch skips that customer's
 * subscription (SKIP LOCKED) and commits the others; the per-subscription path waits for the lock
 * and bills it. 20 subscriptions created 15 Sep 2026 are due 15 Oct; the run happens on 20 Oct.
 */
const CREATED = new Date("2026-09-15T00:00:00Z");
const NOW = new Date("2026-10-20T00:00:00Z");

async function renewalCounts(ids: string[]) {
  const db = await getDb();
  return queryRows<{ subscription_id: string; n: number; paid: number }>(
    db,
    sql`select subscription_id, count(*)::int as n, count(*) filter (where status = 'paid')::int as paid from invoices
        where billing_reason = 'subscription_cycle' and subscription_id in ${ids} group by subscription_id`,
  );
}

describe("batched billing run: a customer locked elsewhere", () => {
  it.skipIf(!process.env.DATABASE_URL)("(needs PostgreSQL) a customer locked elsewhere: the batch skips its subscription, the per-subscription path bills it once the lock is gone", async () => {
    const db = await getDb();
    const seed = await seedDueSubscriptions(db, 20, { createdAt: CREATED, label: "locked" });
    const lockedCustomer = seed.customerIds[3]!;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = db.transaction(async (tx) => {
      await tx.execute(sql`select id from customers where id = ${lockedCustomer} for update`);
      locked();
      await released;
    });
    await isLocked;
    const running = runDueSubscriptions(db, NOW, 1000, { batchSize: 50, workers: 1 });
    // Let the batch commit around the locked customer, then let go.
    await new Promise((r) => setTimeout(r, 1500));
    const before = await renewalCounts(seed.subscriptionIds);
    release();
    await holder;
    const result = await running;
    expect(result.failed).toEqual([]);
    expect(result.batched).toBe(19);
    expect(result.steps).toBe(20);
    expect(before.map((c) => c.subscription_id)).not.toContain(seed.subscriptionIds[3]);
    const after = await renewalCounts(seed.subscriptionIds);
    expect(after).toHaveLength(20);
    expect(after.every((c) => c.n === 1 && c.paid === 1)).toBe(true);
    const [row] = await db.select({ status: invoices.status }).from(invoices).where(inArray(invoices.subscriptionId, [seed.subscriptionIds[3]!]));
    expect(row?.status).toBe("paid");
  });
});
