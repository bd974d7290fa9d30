import { beforeAll, describe, expect, it } from "vitest";
import { and, count, eq, inArray, isNull, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { disputes, invoices, outboxEvents, payments, stripeEvents, subscriptionStatusHistory } from "@/db/schema";
import { ctx, needsPostgres } from "../services/support";
import { charge, chargedButUnrecorded, dispute, nowSeconds, paidInvoice, paymentIntent, post, shuffled, stripeEvent, waitForAllProcessed, withConcurrency, type Seeded } from "./support";
import { makeCatalog, type Catalog } from "../factories";

let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

/**
 * Per customer and currency, in minor units: Σ invoiced = Σ paid + Σ credited + Σ open
 * (RELIABILITY.md), and each invoice's amount paid is exactly its succeeded payments.
 */
async function expectLedgerBalanced(customerIds: string[]): Promise<void> {
  const rows = await db
    .select()
    .from(invoices)
    .where(and(inArray(invoices.customerId, customerIds), sql`${invoices.status} not in ('draft', 'void')`));
  const ledger = new Map<string, { invoiced: number; paid: number; credited: number; open: number }>();
  for (const inv of rows) {
    const key = `${inv.customerId}/${inv.currency}`;
    const l = ledger.get(key) ?? { invoiced: 0, paid: 0, credited: 0, open: 0 };
    l.invoiced += inv.total;
    l.paid += inv.amountPaid;
    l.credited += inv.creditApplied + inv.amountCredited;
    l.open += inv.status === "open" || inv.status === "uncollectible" ? inv.amountRemaining : 0;
    ledger.set(key, l);
  }
  expect(ledger.size).toBe(customerIds.length);
  for (const [key, l] of ledger) expect({ key, invoiced: l.invoiced }).toEqual({ key, invoiced: l.paid + l.credited + l.open });
  const succeeded = await db
    .select({ invoiceId: payments.invoiceId, sum: sql<string>`sum(${payments.amount})` })
    .from(payments)
    .where(and(inArray(payments.customerId, customerIds), eq(payments.status, "succeeded")))
    .groupBy(payments.invoiceId);
  const paidBy = new Map(succeeded.map((r) => [r.invoiceId, Number(r.sum)]));
  for (const inv of rows) expect({ invoice: inv.id, paid: inv.amountPaid }).toEqual({ invoice: inv.id, paid: paidBy.get(inv.id) ?? 0 });
}

describe("R3 (small): a webhook storm", () => {
  it.skipIf(needsPostgres)("500 signed events, each delivered twice, shuffled, 20 at a time: acknowledged first, exactly 500 processed once each, ledger balanced, no 5xx (needs PostgreSQL)", { timeout: 600_000 }, async () => {
    const c = ctx(db);
    const pending: Seeded[] = [];
    for (let i = 0; i < 200; i++) pending.push(await chargedButUnrecorded(c, catalog));
    const settled: Seeded[] = [];
    for (let i = 0; i < 50; i++) settled.push(await paidInvoice(c, catalog));
    const t = nowSeconds();

    const events = [
      // The success Tally never recorded, for 200 payments.
      ...pending.map((s) => stripeEvent({ type: "payment_intent.succeeded", created: t, object: paymentIntent(s.payment, "succeeded") })),
      // Stale requires_action for 50 of them: the re-read says succeeded, nothing regresses.
      ...pending.slice(0, 50).map((s) => stripeEvent({ type: "payment_intent.requires_action", created: t - 5, object: paymentIntent(s.payment, "requires_action") })),
      // Refunds for 50, which may arrive before the success.
      ...pending.slice(50, 100).map((s) => stripeEvent({ type: "charge.refunded", created: t + 5, object: charge(s.payment, 100) })),
      // 25 disputes through their whole life (4 events each).
      ...settled.slice(0, 25).flatMap((s, i) => [
        stripeEvent({ type: "charge.dispute.created", created: t, object: dispute(`du_storm_${i}`, s.payment, "needs_response") }),
        stripeEvent({ type: "charge.dispute.updated", created: t + 1, object: dispute(`du_storm_${i}`, s.payment, "under_review") }),
        stripeEvent({ type: "charge.dispute.funds_withdrawn", created: t + 2, object: dispute(`du_storm_${i}`, s.payment, "under_review", { balance_transactions: [{ amount: -s.payment.amount }] }) }),
        stripeEvent({ type: "charge.dispute.closed", created: t + 3, object: dispute(`du_storm_${i}`, s.payment, "lost", { balance_transactions: [{ amount: -s.payment.amount }] }) }),
      ]),
      // 25 early fraud warnings (created + updated).
      ...settled.slice(25).flatMap((s, i) =>
        ["created", "updated"].map((kind, k) =>
          stripeEvent({
            type: `radar.early_fraud_warning.${kind}`,
            created: t + k,
            object: { id: `issfr_storm_${i}`, object: "radar.early_fraud_warning", actionable: k === 0, charge: `ch_${i}`, payment_intent: s.payment.gatewayId, fraud_type: "unauthorized_use_of_card" },
          }),
        ),
      ),
      // 50 of types Tally does not handle.
      ...Array.from({ length: 50 }, (_, i) => stripeEvent({ type: "customer.updated", object: { id: `cus_storm_${i}`, object: "customer" } })),
    ];
    expect(events).toHaveLength(500);
    expect(new Set(events.map((e) => e.id)).size).toBe(500);

    const deliveries = shuffled([...events, ...events], 20_260_310);
    const started = Date.now();
    const results = await withConcurrency(deliveries, 20, async (event) => {
      const res = await post(event);
      return { status: res.status, answer: ((await res.json()) as { status?: string }).status };
    });
    const acknowledged = Date.now() - started;
    // The route answers once the event is recorded; processing runs after the response.
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.filter((r) => r.answer !== "accepted" && r.answer !== "duplicate")).toEqual([]);
    expect(results.filter((r) => r.answer === "accepted").length).toBeGreaterThanOrEqual(500);
    await waitForAllProcessed(events.map((e) => e.id));
    const elapsed = Date.now() - started;

    // Exactly 500 processed, each by exactly one run (a run that finds the row processed does not count an attempt).
    const [processed] = await db.select({ n: count() }).from(stripeEvents).where(sql`${stripeEvents.processedAt} is not null`);
    const [unprocessed] = await db.select({ n: count() }).from(stripeEvents).where(isNull(stripeEvents.processedAt));
    expect([processed?.n, unprocessed?.n]).toEqual([500, 0]);
    const attempts = await db.select({ attempts: stripeEvents.attempts, n: count() }).from(stripeEvents).groupBy(stripeEvents.attempts);
    expect(attempts).toEqual([{ attempts: 1, n: 500 }]);

    // Every unrecorded success applied exactly once.
    const pendingIds = pending.map((s) => s.payment.id);
    const after = await db.select().from(payments).where(inArray(payments.id, pendingIds));
    expect(after.filter((p) => p.status !== "succeeded")).toEqual([]);
    const paidEvents = await db
      .select({ entityId: outboxEvents.entityId, n: count() })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.type, "invoice.paid"), inArray(outboxEvents.entityId, pending.map((s) => s.invoiceId))))
      .groupBy(outboxEvents.entityId);
    expect(paidEvents).toHaveLength(200);
    expect(paidEvents.every((r) => r.n === 1)).toBe(true);
    const activations = await db
      .select({ n: count() })
      .from(subscriptionStatusHistory)
      .where(and(inArray(subscriptionStatusHistory.subscriptionId, pending.map((s) => s.subscriptionId)), eq(subscriptionStatusHistory.toStatus, "active")));
    expect(activations[0]?.n).toBe(200);
    expect(after.filter((p) => pending.slice(50, 100).some((s) => s.payment.id === p.id)).map((p) => p.amountRefunded)).toEqual(Array(50).fill(100));

    const storm = await db.select().from(disputes).where(sql`${disputes.gatewayId} like 'du_storm_%'`);
    expect(storm).toHaveLength(25);
    expect(storm.every((d) => d.status === "lost" && d.fundsWithdrawn)).toBe(true);
    const flagged = await db.select().from(payments).where(inArray(payments.id, settled.slice(25).map((s) => s.payment.id)));
    expect(flagged.every((p) => p.riskLevel === "highest")).toBe(true);

    await expectLedgerBalanced([...pending, ...settled].map((s) => s.customerId));
    console.info(`[R3 small] 1000 deliveries (500 events × 2) at 20 concurrent: acknowledged in ${acknowledged} ms, all processed in ${elapsed} ms`);
  });

  it.skipIf(needsPostgres)("the same event delivered 20 times at once is processed by exactly one run (needs PostgreSQL)", async () => {
    const seed = await chargedButUnrecorded(ctx(db), catalog);
    const paid = stripeEvent({ type: "payment_intent.succeeded", object: paymentIntent(seed.payment, "succeeded") });
    const disputed = stripeEvent({ type: "charge.dispute.created", object: dispute("du_burst", seed.payment, "needs_response") });
    for (const event of [paid, disputed]) {
      const results = await Promise.all(Array.from({ length: 20 }, async () => (await post(event)).status));
      expect(results).toEqual(Array(20).fill(200));
      await waitForAllProcessed([event.id]);
      // Every accepted delivery started a run; one applied the event, the others found it processed.
      expect(await db.select({ attempts: stripeEvents.attempts, error: stripeEvents.error }).from(stripeEvents).where(eq(stripeEvents.id, event.id))).toEqual([{ attempts: 1, error: null }]);
    }
    const paidEvents = await db.select().from(outboxEvents).where(and(eq(outboxEvents.type, "invoice.paid"), eq(outboxEvents.entityId, seed.invoiceId)));
    expect(paidEvents).toHaveLength(1);
    expect(await db.select().from(disputes).where(eq(disputes.gatewayId, "du_burst"))).toHaveLength(1);
  });
});
