import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { customers, invoices, payments, subscriptions } from "@/db/schema";
import { seedDueSubscriptions } from "@/bench/billing-run/seed";
import { systemActor } from "@/lib/actor";
import type { ServiceContext } from "@/lib/services/context";
import { applyChargeResult } from "@/lib/services/invoices/attempt-payment";
import { chargeRenewals } from "@/lib/services/renewals/charge-renewals";
import { renewBatch, renewedRows } from "@/lib/services/renewals/renew-batch";
import { logged, messages } from "@/tests/setup/logs";

/**
 * A charged batch is settled from the rows its renewals wrote (renewedRows), not read again. Those
 * rows equal what the database holds, defaults included; and a payment, invoice, subscription or
 * customer moved between the renewal and the settlement fails the batch's transaction, which then
 * settles payment by payment, reading each row under lock. Subscriptions created 15 Sep 2026 are
 * due 15 Oct; the run happens on 20 Oct.
 */
const CREATED = new Date("2026-09-15T00:00:00Z");
const NOW = new Date("2026-10-20T00:00:00Z");

async function renewed(label: string, count: number) {
  const db = await getDb();
  const seed = await seedDueSubscriptions(db, count, { createdAt: CREATED, label });
  const ctx: ServiceContext = { db, actor: systemActor("billing_run"), now: NOW };
  const batch = await renewBatch(ctx, { ids: seed.subscriptionIds });
  expect(batch.renewed).toHaveLength(count);
  return { db, ctx, renewed: batch.renewed };
}

describe("settling a charged batch from the rows its renewals wrote", () => {
  it("knows each renewal's payment, invoice, subscription and customer exactly as the database holds them", async () => {
    const { db, renewed: done } = await renewed("known", 5);
    for (const r of done) {
      const rows = renewedRows(r)!;
      const [payment] = await db.select().from(payments).where(eq(payments.id, rows.payment.id));
      const [invoice] = await db.select().from(invoices).where(eq(invoices.id, rows.invoice.id));
      const [subscription] = await db.select().from(subscriptions).where(eq(subscriptions.id, rows.subscription.id));
      const [customer] = await db.select().from(customers).where(eq(customers.id, rows.customer.id));
      expect(rows).toEqual({ payment, invoice, subscription, customer });
    }
  });

  const moves: { what: string; reason: RegExp; move: (db: Awaited<ReturnType<typeof getDb>>, r: ReturnType<typeof renewedRows> & object, ctx: ServiceContext) => Promise<unknown> }[] = [
    { what: "a payment settled meanwhile (a webhook)", reason: /updated 3 of 4 payments rows/, move: (_db, r, ctx) => applyChargeResult(ctx, r.payment.id, { status: "succeeded", gatewayId: "ch_webhook", fee: 0 } as never) },
    { what: "an invoice paid in part meanwhile", reason: /updated 3 of 4 invoices rows/, move: (db, r) => db.execute(sql`update invoices set amount_paid = 100 where id = ${r.invoice.id}`) },
    { what: "a subscription past due meanwhile", reason: /subscription \S+ changed since its renewal \(1 in the batch\)/, move: (db, r) => db.execute(sql`update subscriptions set status = 'past_due' where id = ${r.subscription.id}`) },
    { what: "a customer in dunning meanwhile", reason: /customer \S+ changed since its renewal \(1 in the batch\)/, move: (db, r) => db.execute(sql`update customers set status = 'warning' where id = ${r.customer.id}`) },
  ];
  it.each(moves)("fails the batch on $what and settles each payment alone, reading it", async ({ what, reason, move }) => {
    const { db, ctx, renewed: done } = await renewed(`moved ${what}`, 4);
    const moved = renewedRows(done[1]!)!;
    await move(db, moved, ctx);
    try {
      const result = await chargeRenewals(ctx, done);
      expect(result.failed).toEqual([]);
      expect(Object.keys(result.oneByOne)).toHaveLength(1);
      expect(Object.keys(result.oneByOne)[0]).toMatch(reason);
      expect(Object.values(result.oneByOne)).toEqual([4]);
    } finally {
      expect(messages(logged("warn"))).toHaveLength(1);
    }
    // Every invoice paid once, by the per-payment path where it read the moved row.
    const ids = done.map((r) => r.invoice.id).sort();
    const rows = await queryRows<{ id: string; status: string; amount_paid: string; succeeded: string }>(
      db,
      sql`select i.id, i.status, i.amount_paid, (select count(*) from payments p where p.invoice_id = i.id and p.status = 'succeeded') as succeeded from invoices i where i.id = any(${sql.param(ids)}::text[]) order by i.id`,
    );
    expect(rows.map((r) => [r.status, Number(r.succeeded)])).toEqual(ids.map(() => ["paid", 1]));
    // A subscription past due is reactivated by the payment read under lock.
    const [sub] = await db.select({ status: subscriptions.status }).from(subscriptions).where(eq(subscriptions.id, moved.subscription.id));
    expect(sub!.status).toBe("active");
  });
});
