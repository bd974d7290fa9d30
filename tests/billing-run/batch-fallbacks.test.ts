import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { invoices, subscriptions } from "@/db/schema";
import { seedDueSubscriptions } from "@/bench/billing-run/seed";
import { newId, randomToken } from "@/lib/ids";
import { runDueSubscriptions } from "@/lib/services/billing-run/run-due-subscriptions";
import { logged, messages } from "@/tests/setup/logs";

/**
 * The batched run's ways out: a batch whose transaction fails is rolled back whole and its
 * subscriptions go through the per-subscription path (which reports the one that cannot be billed
 * and bills the rest). (A customer locked elsewhere: batch-locked-customer.test.ts.) 20
 * subscriptions created 15 Sep 2026 are due 15 Oct; the runs happen on 20 Oct.
 */
const CREATED = new Date("2026-09-15T00:00:00Z");
const NOW = new Date("2026-10-20T00:00:00Z");
const PERIOD_START = new Date("2026-10-15T00:00:00Z");

async function renewalCounts(ids: string[]) {
  const db = await getDb();
  return queryRows<{ subscription_id: string; n: number; paid: number }>(
    db,
    sql`select subscription_id, count(*)::int as n, count(*) filter (where status = 'paid')::int as paid from invoices
        where billing_reason = 'subscription_cycle' and subscription_id in ${ids} group by subscription_id`,
  );
}

describe("batched billing run: what the batch cannot write takes the per-subscription path", () => {
  it("a statement failing in a batch rolls it back; the per-subscription path bills the others and reports the one", async () => {
    const db = await getDb();
    const seed = await seedDueSubscriptions(db, 20, { createdAt: CREATED, label: "fallback" });
    const [blocked] = seed.subscriptionIds.slice(-1);
    // A draft already holding the renewal's (subscription, period): the batch's insert violates the unique index.
    const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.id, blocked!));
    await db.insert(invoices).values({
      id: newId("invoice"),
      customerId: sub!.customerId,
      subscriptionId: blocked!,
      status: "draft",
      billingReason: "subscription_cycle",
      currency: "aud",
      periodStart: PERIOD_START,
      periodEnd: new Date("2026-11-15T00:00:00Z"),
      subtotal: 0,
      total: 0,
      amountDue: 0,
      amountRemaining: 0,
      collectionMethod: "charge_automatically",
      hostedToken: randomToken(32),
      createdAt: CREATED,
    });

    const result = await runDueSubscriptions(db, NOW, 1000, { batchSize: 50, workers: 1 });
    expect(result.batched).toBe(0);
    // The hand-over is counted and logged with its reason, not dropped.
    expect(Object.entries(result.deferred)).toEqual([["batch failed: duplicate key value violates unique constraint \"invoices_subscription_period_key\"", 20]]);
    expect(messages(logged("warn"))).toContainEqual(expect.stringMatching(/^billing run: 20 subscriptions went one by one after a failed batch \(batch failed: /));
    expect(result.failed.map((f) => f.subscription)).toEqual([blocked]);
    expect(result.steps).toBe(19);
    const counts = await renewalCounts(seed.subscriptionIds);
    // The blocked subscription keeps only the conflicting draft; every other one renewed once and paid.
    expect(counts.filter((c) => c.subscription_id !== blocked).map((c) => [c.n, c.paid])).toEqual(Array.from({ length: 19 }, () => [1, 1]));
    expect(counts.find((c) => c.subscription_id === blocked)).toMatchObject({ n: 1, paid: 0 });

    // A second run claims the failed subscription again (a new run), fails the same way, bills nothing twice.
    const again = await runDueSubscriptions(db, NOW, 1000, { batchSize: 50 });
    expect(again.steps).toBe(0);
    expect(again.failed.map((f) => f.subscription)).toEqual([blocked]);
  });
});
