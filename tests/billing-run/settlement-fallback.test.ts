import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { subscriptions } from "@/db/schema";
import { seedDueSubscriptions } from "@/bench/billing-run/seed";
import { runDueSubscriptions } from "@/lib/services/billing-run/run-due-subscriptions";
import { logged, messages } from "@/tests/setup/logs";

/**
 * A charged batch is settled in one transaction (chargeRenewals → settleCharges). When that
 * transaction fails, each answer is settled on its own (applyChargeResult): the others are paid,
 * the one that cannot be settled is reported, its payment left pending for reconciliation, and the
 * fallback is counted and logged with the database's reason. 12 subscriptions created 15 Sep 2026
 * are due 15 Oct; the run happens on 20 Oct.
 */
const CREATED = new Date("2026-09-15T00:00:00Z");
const NOW = new Date("2026-10-20T00:00:00Z");

describe("batched billing run: a settlement batch that fails is settled payment by payment", () => {
  it("pays the others, reports the one, counts and logs the fallback with its reason", async () => {
    const db = await getDb();
    const seed = await seedDueSubscriptions(db, 12, { createdAt: CREATED, label: "settle" });
    const blocked = seed.subscriptionIds.at(-1)!;
    const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.id, blocked));
    // The database refuses to settle one customer's payment: the batch's UPDATE fails, and so does that payment alone.
    await db.execute(sql.raw(`
      create function refuse_settling() returns trigger language plpgsql as $$
      begin
        if new.customer_id = '${sub!.customerId}' and new.status = 'succeeded' then raise exception 'settlement refused'; end if;
        return new;
      end $$`));
    await db.execute(sql`create trigger refuse_settling before update on payments for each row execute function refuse_settling()`);
    try {
      const result = await runDueSubscriptions(db, NOW, 1000, { batchSize: 50, workers: 1 });
      expect(result.batched).toBe(12);
      expect(result.settledOneByOne).toEqual({ "settlement batch failed: settlement refused": 12 });
      expect(messages(logged("warn"))).toContain("billing run: 12 charge results settled one by one (settlement batch failed: settlement refused)");
      expect(result.failed.map((f) => f.subscription)).toEqual([blocked]);
    } finally {
      await db.execute(sql`drop trigger refuse_settling on payments`);
      await db.execute(sql`drop function refuse_settling()`);
    }
    const rows = await queryRows<{ subscription_id: string; invoice: string; payment: string }>(
      db,
      sql`select i.subscription_id, i.status as invoice, p.status as payment from invoices i join payments p on p.invoice_id = i.id
          where i.billing_reason = 'subscription_cycle' order by i.subscription_id`,
    );
    expect(rows.filter((r) => r.subscription_id !== blocked).map((r) => [r.invoice, r.payment])).toEqual(Array.from({ length: 11 }, () => ["paid", "succeeded"]));
    // Charged at the gateway, not settled here: the payment stays pending under its key, for reconciliation.
    expect(rows.find((r) => r.subscription_id === blocked)).toMatchObject({ invoice: "open", payment: "pending" });
  });
});
