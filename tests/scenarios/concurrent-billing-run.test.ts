import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { invoices, payments, sandboxCharges } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { runDueSubscriptions } from "@/lib/services/billing-run/run-due-subscriptions";
import { createCustomer } from "@/lib/services/customers/create-customer";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { makePlan } from "../factories";

/**
 * R19: two (or more) billing runs overlap. Subscriptions are not on test clocks: they are created
 * with ctx.now in the past, so renewals are due when the runs start. Every run sees every
 * subscription as due; each step takes the subscription's row lock and re-reads it, so each
 * renewal happens once, and the unique (subscription, period) index backs that up.
 * On PGlite (one connection) the runs interleave but their transactions are serialized; the
 * PostgreSQL variant has real overlap through the connection pool.
 */
async function dueSubscriptions(count: number, createdAt: Date, label: string): Promise<string[]> {
  const db = await getDb();
  const ctx = { db, actor: systemActor("scenario"), now: createdAt };
  const { priceId } = await makePlan(db, { code: label, name: "Starter", unitAmount: 1000 });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const customer = await createCustomer(ctx, { email: `${label}-${i}@example.com`, currency: "aud", timezone: "UTC", address: { country: "AU" } });
    await attachPaymentMethod(ctx, { customerId: customer.id, token: "pm_card_visa" });
    const { subscription } = await createSubscription(ctx, { customerId: customer.id, items: [{ priceId, quantity: 1 }] });
    expect(subscription.status).toBe("active");
    ids.push(subscription.id);
  }
  return ids;
}

/** Renewal invoices per (subscription, period start), and the payments and gateway charges behind them. */
async function renewalsOf(subscriptionIds: string[]) {
  const db = await getDb();
  const perPeriod = await db
    .select({ subscriptionId: invoices.subscriptionId, periodStart: invoices.periodStart, n: sql<number>`count(*)::int` })
    .from(invoices)
    .where(and(inArray(invoices.subscriptionId, subscriptionIds), eq(invoices.billingReason, "subscription_cycle")))
    .groupBy(invoices.subscriptionId, invoices.periodStart);
  const rows = await db.select().from(invoices).where(and(inArray(invoices.subscriptionId, subscriptionIds), eq(invoices.billingReason, "subscription_cycle")));
  const pays = rows.length ? await db.select().from(payments).where(inArray(payments.invoiceId, rows.map((r) => r.id))) : [];
  const charges = pays.length ? await db.select().from(sandboxCharges).where(inArray(sandboxCharges.idempotencyKey, pays.map((p) => p.idempotencyKey))) : [];
  return { perPeriod, rows, pays, charges };
}

describe("scenario: overlapping billing runs (R19)", () => {
  it("two runs started at once: each of 30 subscriptions gets exactly one renewal for its period, no errors", async () => {
    // Created 15 Sep 2026 00:00 UTC; the monthly renewal is due 15 Oct; the runs happen on 20 Oct.
    const ids = await dueSubscriptions(30, new Date("2026-09-15T00:00:00Z"), "r19");
    const db = await getDb();
    const now = new Date("2026-10-20T00:00:00Z");

    const results = await Promise.all([runDueSubscriptions(db, now), runDueSubscriptions(db, now)]);
    expect(results.flatMap((r) => r.failed)).toEqual([]);
    // Each renewal was done by exactly one of the runs.
    expect(results.reduce((n, r) => n + r.steps, 0)).toBe(30);

    const { perPeriod, rows, pays, charges } = await renewalsOf(ids);
    expect(perPeriod).toHaveLength(30);
    for (const p of perPeriod) {
      expect(p.n).toBe(1);
      expect(p.periodStart?.toISOString()).toBe("2026-10-15T00:00:00.000Z");
    }
    expect(new Set(perPeriod.map((p) => p.subscriptionId))).toEqual(new Set(ids));
    expect(rows.every((r) => r.status === "paid" && r.total === 1000 && r.amountPaid === 1000)).toBe(true);
    // One payment and one gateway charge per invoice: nobody was charged twice.
    expect(pays).toHaveLength(30);
    expect(new Set(pays.map((p) => p.invoiceId)).size).toBe(30);
    expect(charges).toHaveLength(30);

    // A third run afterwards finds nothing to do.
    const again = await runDueSubscriptions(db, now);
    expect(again.steps).toBe(0);
  });

  it.skipIf(!process.env.DATABASE_URL)("(needs PostgreSQL) four runs overlapping over three overdue periods each: 90 renewals, each once", async () => {
    // Created 10 Jul 2026; renewals due 10 Aug, 10 Sep and 10 Oct; the runs happen on 12 Oct.
    const ids = await dueSubscriptions(30, new Date("2026-07-10T00:00:00Z"), "r19pg");
    const db = await getDb();
    const now = new Date("2026-10-12T00:00:00Z");

    const results = await Promise.all([0, 1, 2, 3].map(() => runDueSubscriptions(db, now)));
    expect(results.flatMap((r) => r.failed)).toEqual([]);
    expect(results.reduce((n, r) => n + r.steps, 0)).toBe(90);

    const { perPeriod, rows, pays, charges } = await renewalsOf(ids);
    expect(perPeriod).toHaveLength(90);
    expect(perPeriod.every((p) => p.n === 1)).toBe(true);
    const starts = [...new Set(perPeriod.map((p) => p.periodStart?.toISOString()))].sort();
    expect(starts).toEqual(["2026-08-10T00:00:00.000Z", "2026-09-10T00:00:00.000Z", "2026-10-10T00:00:00.000Z"]);
    expect(rows.every((r) => r.status === "paid" && r.amountPaid === 1000)).toBe(true);
    expect(pays).toHaveLength(90);
    expect(new Set(pays.map((p) => p.invoiceId)).size).toBe(90);
    expect(charges).toHaveLength(90);
  });
});
