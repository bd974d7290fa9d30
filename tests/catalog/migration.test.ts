import { and, asc, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, outboxEvents, priceMigrationRuns, subscriptionItems } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import type { ServiceContext } from "@/lib/services/context";
import { createPrice } from "@/lib/services/catalog/create-price";
import { migratePriceVersion, previewPriceVersionMigration } from "@/lib/services/catalog/migrate-price-version";
import { cancelSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { upcomingInvoice } from "@/lib/services/subscriptions/preview";
import { updateSubscription } from "@/lib/services/subscriptions/update-subscription";
import { clockCustomer, invoicesOf, subscriptionRow } from "../scenarios/support";
import { makePlan } from "../factories";

/**
 * Moving subscribers from one price version to another at their next renewal, on PostgreSQL:
 * only the chosen version moves, a second run moves nothing, batches split where they should,
 * every move is audited, and the renewal charges what the preview said.
 *
 * Every subscription starts 1 Jun 2027 10:00 AEST (2027-06-01T00:00Z) on its own test clock, so
 * its first renewal is 1 Jul 2027 (2027-07-01T00:00Z). Prices are GST-inclusive A$.
 */
const START = new Date("2027-06-01T00:00:00Z");
const RENEWAL = "2027-07-01T00:00:00.000Z";
const staff: Actor = { type: "user", id: "usr_catalog_admin", role: "billing_admin" };

async function staffCtx(base: ServiceContext): Promise<ServiceContext> {
  return { ...base, actor: staff, now: new Date("2027-06-10T00:00:00Z"), requestId: "req_migration" };
}

/** A subscriber on `priceId` (own clock, Sydney, card on file): its subscription id and a way to move its clock. */
async function subscriber(priceId: string, quantity = 1, opts: { trialDays?: number } = {}) {
  const c = await clockCustomer(START, { timezone: "UTC" });
  const { subscription } = await createSubscription(c.ctx, { customerId: c.customerId, items: [{ priceId, quantity }], trialPeriodDays: opts.trialDays });
  return { ...c, subscriptionId: subscription.id };
}

async function itemsOf(subscriptionId: string, ctx: ServiceContext) {
  const rows = await ctx.db.select().from(subscriptionItems).where(eq(subscriptionItems.subscriptionId, subscriptionId)).orderBy(asc(subscriptionItems.position));
  return rows.map((r) => [r.priceId, r.quantity]);
}

/** Pro at A$29.00 (version 1), then version 2 at A$35.00 created through the catalog service. */
async function proWithTwoVersions(ctx: ServiceContext) {
  const pro = await makePlan(ctx.db, { code: "pro", name: "Pro", unitAmount: 2900 });
  const { price: v2 } = await createPrice(ctx, { planId: pro.planId, currency: "aud", taxBehavior: "inclusive", unitAmount: 3500 });
  return { planId: pro.planId, v1: pro.priceId, v2: v2.id };
}

describe("price-version migration", () => {
  it("moves only subscriptions on the chosen version, at their next renewal, and the renewal charges what the preview said", async () => {
    const first = await clockCustomer(START, { timezone: "UTC" });
    const ctx = await staffCtx(first.ctx);
    const pro = await makePlan(ctx.db, { code: "pro", name: "Pro", unitAmount: 2900 });
    const other = await makePlan(ctx.db, { code: "basic", name: "Basic", unitAmount: 1000 });
    const one = { ...first, subscriptionId: (await createSubscription(first.ctx, { customerId: first.customerId, items: [{ priceId: pro.priceId, quantity: 1 }] })).subscription.id };
    const three = await subscriber(pro.priceId, 3);
    const basic = await subscriber(other.priceId);
    const ending = await subscriber(pro.priceId);
    await cancelSubscription(ending.ctx, ending.subscriptionId, { atPeriodEnd: true });
    // The new version: new subscribers get it, existing ones stay where they are.
    const { price: v2 } = await createPrice(ctx, { planId: pro.planId, currency: "aud", taxBehavior: "inclusive", unitAmount: 3500 });
    const newcomer = await subscriber(v2.id);
    expect(await itemsOf(one.subscriptionId, ctx)).toEqual([[pro.priceId, 1]]);

    const preview = await previewPriceVersionMigration(ctx, { fromPriceId: pro.priceId, toPriceId: v2.id });
    expect(preview.totals).toEqual({ currency: "aud", subscriptions: 2, items: 2, mrrBefore: 4 * 2900, mrrAfter: 4 * 3500, mrrDelta: 4 * 600 });
    expect(preview.summary).toBe("2 subscriptions move from $29.00 to $35.00/month at their next renewal: MRR +$24.00");
    const sampleOf = (id: string) => preview.sample.find((s) => s.subscriptionId === id);
    expect(sampleOf(one.subscriptionId)).toMatchObject({ before: 2900, after: 3500, date: new Date(RENEWAL) });
    expect(sampleOf(three.subscriptionId)).toMatchObject({ before: 8700, after: 10500 });
    expect(preview.sample).toHaveLength(2);

    const run = await migratePriceVersion(ctx, { fromPriceId: pro.priceId, toPriceId: v2.id });
    expect(run).toMatchObject({ status: "completed", subscriptionsMoved: 2, itemsMoved: 2, subscriptionsSkipped: 0, batches: 1, mrrBefore: 11600, mrrAfter: 14000, actorType: "user", actorId: staff.id });
    expect(run.finishedAt).not.toBeNull();

    // Scheduled, not applied: this period stays as paid, the renewal applies it.
    const moved = await subscriptionRow(one.subscriptionId);
    expect(moved.pendingChange).toMatchObject({ items: [{ price: v2.id, quantity: 1 }], effective_at: RENEWAL });
    expect(await itemsOf(one.subscriptionId, ctx)).toEqual([[pro.priceId, 1]]);
    for (const untouched of [basic, ending, newcomer]) expect((await subscriptionRow(untouched.subscriptionId)).pendingChange).toBeNull();

    // The upcoming invoice already is the preview's "after", and so is the renewal.
    expect((await upcomingInvoice(ctx, one.subscriptionId)).invoice.total).toBe(sampleOf(one.subscriptionId)?.after);
    await one.advance("2027-07-02T00:00:00Z");
    await three.advance("2027-07-02T00:00:00Z");
    const renewalOf = async (id: string) => (await invoicesOf(id)).find((i) => i.billingReason === "subscription_cycle");
    expect((await renewalOf(one.subscriptionId))?.total).toBe(sampleOf(one.subscriptionId)?.after);
    expect((await renewalOf(three.subscriptionId))?.total).toBe(sampleOf(three.subscriptionId)?.after);
    expect((await renewalOf(one.subscriptionId))?.status).toBe("paid");
    expect(await itemsOf(one.subscriptionId, ctx)).toEqual([[v2.id, 1]]);
    expect(await itemsOf(three.subscriptionId, ctx)).toEqual([[v2.id, 3]]);
    expect((await subscriptionRow(one.subscriptionId)).pendingChange).toBeNull();
  });

  it("is idempotent: a second run moves nothing, and each subscription has one audit entry and one event", async () => {
    const first = await clockCustomer(START, { timezone: "UTC" });
    const ctx = await staffCtx(first.ctx);
    const { v1, v2 } = await proWithTwoVersions(ctx);
    const subs = [await subscriber(v1), await subscriber(v1, 2)];

    const run1 = await migratePriceVersion(ctx, { fromPriceId: v1, toPriceId: v2 });
    const run2 = await migratePriceVersion(ctx, { fromPriceId: v1, toPriceId: v2 });
    expect(run1.subscriptionsMoved).toBe(2);
    expect(run2).toMatchObject({ status: "completed", subscriptionsMoved: 0, itemsMoved: 0, batches: 0, mrrBefore: 0, mrrAfter: 0 });
    expect((await previewPriceVersionMigration(ctx, { fromPriceId: v1, toPriceId: v2 })).totals.subscriptions).toBe(0);

    const ids = subs.map((s) => s.subscriptionId);
    const audit = await ctx.db.select().from(auditLog).where(and(inArray(auditLog.entityId, ids), eq(auditLog.action, "subscription.price_migration_scheduled")));
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actorType: "user", actorId: staff.id, requestId: "req_migration" });
    const entry = audit.find((a) => a.entityId === ids[1]);
    expect(entry?.before).toMatchObject({ items: [{ price: v1, quantity: 2 }], pending_change: null });
    expect(entry?.after).toMatchObject({ pending_change: { items: [{ price: v2, quantity: 2 }], effective_at: RENEWAL }, migration_run: run1.id, from_price: v1, to_price: v2 });
    const events = await ctx.db.select().from(outboxEvents).where(and(inArray(outboxEvents.entityId, ids), eq(outboxEvents.type, "customer.subscription.updated")));
    const migrationEvents = events.filter((e) => (e.payload as { change?: string }).change === "price_migration_scheduled");
    expect(migrationEvents).toHaveLength(2);
    expect(migrationEvents.find((e) => e.entityId === ids[1])?.payload).toMatchObject({ from: [{ price: v1, quantity: 2 }], to: [{ price: v2, quantity: 2 }], effective_at: RENEWAL, migration_run: run1.id });
    const runAudit = await ctx.db.select().from(auditLog).where(inArray(auditLog.entityId, [String(run1.id), String(run2.id)]));
    expect(runAudit.map((a) => a.action).sort()).toEqual(["price_migration.completed", "price_migration.completed", "price_migration.started", "price_migration.started"]);
  });

  it.each([
    { subscriptions: 5, batchSize: 2, batches: 3 },
    { subscriptions: 4, batchSize: 2, batches: 2 },
    { subscriptions: 3, batchSize: 1, batches: 3 },
    { subscriptions: 3, batchSize: 200, batches: 1 },
  ])("walks $subscriptions subscriptions in batches of $batchSize ($batches batches), each moved once", async ({ subscriptions, batchSize, batches }) => {
    const first = await clockCustomer(START, { timezone: "UTC" });
    const ctx = await staffCtx(first.ctx);
    const { v1, v2 } = await proWithTwoVersions(ctx);
    const subs = [];
    for (let i = 0; i < subscriptions; i++) subs.push(await subscriber(v1, i + 1));

    const run = await migratePriceVersion(ctx, { fromPriceId: v1, toPriceId: v2, batchSize });
    expect(run).toMatchObject({ batches, batchSize, subscriptionsMoved: subscriptions, itemsMoved: subscriptions, status: "completed" });
    for (const [i, s] of subs.entries()) {
      expect((await subscriptionRow(s.subscriptionId)).pendingChange?.items).toEqual([{ price: v2, quantity: i + 1 }]);
    }
    const [stored] = await ctx.db.select().from(priceMigrationRuns).where(eq(priceMigrationRuns.id, run.id));
    expect(stored?.subscriptionsMoved).toBe(subscriptions);
    const audit = await ctx.db.select().from(auditLog).where(and(inArray(auditLog.entityId, subs.map((s) => s.subscriptionId)), eq(auditLog.action, "subscription.price_migration_scheduled")));
    expect(audit).toHaveLength(subscriptions);
  });

  it("two runs at once move each subscription once between them", async () => {
    const first = await clockCustomer(START, { timezone: "UTC" });
    const ctx = await staffCtx(first.ctx);
    const { v1, v2 } = await proWithTwoVersions(ctx);
    const subs = [];
    for (let i = 0; i < 6; i++) subs.push(await subscriber(v1));
    const runs = await Promise.all([migratePriceVersion(ctx, { fromPriceId: v1, toPriceId: v2, batchSize: 2 }), migratePriceVersion(ctx, { fromPriceId: v1, toPriceId: v2, batchSize: 3 })]);
    expect(runs[0]!.subscriptionsMoved + runs[1]!.subscriptionsMoved).toBe(6);
    const audit = await ctx.db.select().from(auditLog).where(and(inArray(auditLog.entityId, subs.map((s) => s.subscriptionId)), eq(auditLog.action, "subscription.price_migration_scheduled")));
    expect(audit.map((a) => a.entityId).sort()).toEqual(subs.map((s) => s.subscriptionId).sort());
  });

  it("rewrites a scheduled change that keeps the version, leaves one that leaves it, and moves a trial at its end", async () => {
    const first = await clockCustomer(START, { timezone: "UTC" });
    const ctx = await staffCtx(first.ctx);
    const { v1, v2 } = await proWithTwoVersions(ctx);
    const basic = await makePlan(ctx.db, { code: "basic", name: "Basic", unitAmount: 1000 });

    const seats = await subscriber(v1, 2);
    await updateSubscription(seats.ctx, seats.subscriptionId, { items: [{ priceId: v1, quantity: 5 }], prorationBehavior: "none", effective: "period_end" });
    const leaving = await subscriber(v1);
    await updateSubscription(leaving.ctx, leaving.subscriptionId, { items: [{ priceId: basic.priceId, quantity: 1 }], prorationBehavior: "none", effective: "period_end" });
    const trial = await subscriber(v1, 1, { trialDays: 14 });

    const preview = await previewPriceVersionMigration(ctx, { fromPriceId: v1, toPriceId: v2 });
    // Seats (5 at the renewal) and the trial; the downgrade already leaves the version.
    expect(preview.totals).toMatchObject({ subscriptions: 2, items: 2, mrrBefore: 6 * 2900, mrrAfter: 6 * 3500 });
    const trialSample = preview.sample.find((s) => s.subscriptionId === trial.subscriptionId);
    expect(trialSample).toMatchObject({ before: 2900, after: 3500, date: new Date("2027-06-15T00:00:00Z") });

    await migratePriceVersion(ctx, { fromPriceId: v1, toPriceId: v2 });
    expect((await subscriptionRow(seats.subscriptionId)).pendingChange).toMatchObject({ items: [{ price: v2, quantity: 5 }], effective_at: RENEWAL });
    expect((await subscriptionRow(leaving.subscriptionId)).pendingChange?.items).toEqual([{ price: basic.priceId, quantity: 1 }]);
    expect((await subscriptionRow(trial.subscriptionId)).pendingChange?.effective_at).toBe("2027-06-15T00:00:00.000Z");

    await trial.advance("2027-06-16T00:00:00Z");
    const trialInvoices = await invoicesOf(trial.subscriptionId);
    expect(trialInvoices.at(-1)?.total).toBe(trialSample?.after);
    expect(await itemsOf(trial.subscriptionId, ctx)).toEqual([[v2, 1]]);
  });

  it("refuses a pair that is not two versions of one plan and currency, and writes nothing", async () => {
    const first = await clockCustomer(START, { timezone: "UTC" });
    const ctx = await staffCtx(first.ctx);
    const { planId, v1, v2 } = await proWithTwoVersions(ctx);
    const other = await makePlan(ctx.db, { code: "basic", unitAmount: 1000 });
    const { price: usd } = await createPrice(ctx, { planId, currency: "usd", taxBehavior: "exclusive", unitAmount: 2500 });
    const refusal = (fromPriceId: string, toPriceId: string) => migratePriceVersion(ctx, { fromPriceId, toPriceId }).then(() => expect.fail("expected a refusal"), (e: unknown) => e);
    expect(await refusal(v1, v1)).toMatchObject({ param: "toPriceId", userMessage: "Choose a different version to move subscribers to." });
    expect(await refusal(v1, other.priceId)).toMatchObject({ param: "toPriceId", userMessage: "Subscribers move between versions of the same plan." });
    expect(await refusal(v1, usd.id)).toMatchObject({ param: "toPriceId", userMessage: "Choose a version in AUD: subscriptions keep their currency." });
    expect(await refusal("price_nope", v2)).toMatchObject({ code: "not_found", param: "fromPriceId" });
    const runs = await ctx.db.select().from(priceMigrationRuns).where(eq(priceMigrationRuns.planId, planId));
    expect(runs).toEqual([]);
  });
});
