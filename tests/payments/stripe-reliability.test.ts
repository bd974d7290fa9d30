import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import { attemptInvoicePayment } from "@/lib/services/invoices/attempt-payment";
import { NOT_SUBMITTED, reconcilePayments } from "@/lib/services/payments/reconcile";
import { invoiceRow, isCreateIntent, makeCatalog, openInvoice, type Catalog } from "../fake-stripe/helpers";
import { seededRandom, type FaultKind } from "../fake-stripe/server";
import { withFakeStripe } from "../fake-stripe/with-fake-stripe";
import { ctx, DAY_MS, needsPostgres, NOW, paymentsOf } from "../services/support";

// A short client timeout so a "hang" fault times out quickly; the SDK retries it with the same key.
const fake = withFakeStripe({ timeoutMs: 400, hangMs: 3_000 });
let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

describe("Stripe reliability (RELIABILITY.md R2, R18)", () => {
  it("R2: the answer is lost after Stripe committed the charge; the retry reuses inv_<id>_attempt_1 and Stripe replays: one PaymentIntent", async () => {
    const { invoice } = await openInvoice(db, catalog);
    const key = `inv_${invoice.id}_attempt_1`;
    // The first request and both SDK retries reach Stripe, but every answer is lost.
    fake().loseNext(3, isCreateIntent);

    await expect(attemptInvoicePayment(ctx(db), invoice.id)).rejects.toThrow(/committed/);
    const [pending] = await paymentsOf(db, invoice.id);
    expect(pending).toMatchObject({ status: "pending", attempt: 1, idempotencyKey: key, gatewayId: null });
    expect((await invoiceRow(db, invoice.id)).status).toBe("open");
    expect(fake().intentsFor(invoice.id).map((pi) => pi.status)).toEqual(["succeeded"]);
    expect(fake().requests.filter((r) => r.idempotencyKey === key).map((r) => [r.status, r.replayed])).toEqual([
      [500, false],
      [500, true],
      [500, true],
    ]);

    const retried = await attemptInvoicePayment(ctx(db), invoice.id);
    expect(retried.payment).toMatchObject({ id: pending?.id, status: "succeeded", attempt: 1, idempotencyKey: key });
    expect(retried.invoice).toMatchObject({ status: "paid", amountPaid: 1100, amountRemaining: 0 });

    const intents = fake().intentsFor(invoice.id);
    expect(intents).toHaveLength(1);
    expect(retried.payment?.gatewayId).toBe(intents[0]?.id);
    const sent = fake().requests.filter((r) => r.idempotencyKey === key);
    expect(sent).toHaveLength(4);
    expect(sent.at(-1)).toMatchObject({ status: 200, replayed: true });
    expect(await paymentsOf(db, invoice.id)).toHaveLength(1);
  });

  it(
    "R18: 20% of gateway calls answer 500, 429 or time out (or lose the answer) over 30 invoices: keys kept, Retry-After honoured, no duplicate charge",
    async () => {
      const stats = await chaos(30, 0.2, 18);
      expect(stats.faults).toEqual(["429", "500", "hang", "lost"]);
    },
    5 * 60_000,
  );

  it(
    "R18, harsher: at 50% some calls fail even after the SDK's retries; the janitor settles the payments left pending, still one charge each",
    async () => {
      const stats = await chaos(10, 0.5, 7);
      // This schedule leaves work for the janitor: invoices not paid after the first pass.
      expect(stats.unpaidAfterFirstPass).toBeGreaterThan(0);
      expect(stats.janitor.settled + stats.janitor.notSubmitted).toBeGreaterThan(0);
    },
    5 * 60_000,
  );

  it.skipIf(needsPostgres)("a double-click on Pay: 5 concurrent attempts on one invoice make one PaymentIntent (needs PostgreSQL)", async () => {
    const { invoice } = await openInvoice(db, catalog);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => attemptInvoicePayment(ctx(db), invoice.id)));
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    expect(await invoiceRow(db, invoice.id)).toMatchObject({ status: "paid", amountPaid: 1100 });
    expect((await paymentsOf(db, invoice.id)).map((p) => [p.attempt, p.status])).toEqual([[1, "succeeded"]]);
    expect(fake().intentsFor(invoice.id)).toHaveLength(1);
  });

  it("a payment left pending for days is still settled by the janitor without a second charge", async () => {
    const { invoice } = await openInvoice(db, catalog);
    fake().loseNext(3, isCreateIntent);
    await expect(attemptInvoicePayment(ctx(db), invoice.id)).rejects.toThrow();
    const summary = await reconcilePayments(db, new Date(NOW.getTime() + 3 * DAY_MS));
    expect(summary.settled).toBeGreaterThanOrEqual(1);
    expect(await invoiceRow(db, invoice.id)).toMatchObject({ status: "paid", amountPaid: 1100 });
    expect(fake().intentsFor(invoice.id)).toHaveLength(1);
  });
});

/**
 * Charge `count` open invoices while `probability` of the calls to Stripe fail (500, 429 with
 * Retry-After, a hang past the client timeout, or an answer lost after the commit), then check
 * R18's promises: every invoice ends paid or in a retryable state, then paid once the faults stop;
 * one charge per invoice; every key is its attempt's; 429s waited out per Retry-After.
 */
async function chaos(count: number, probability: number, seed: number) {
  const invoices = [];
  for (let i = 0; i < count; i++) invoices.push((await openInvoice(db, catalog)).invoice);
  const ids = invoices.map((i) => i.id);
  const firstSeq = fake().requests.length;

  fake().failRandomly(probability, ["500", "429", "hang", "lost"] satisfies FaultKind[], { random: seededRandom(seed) });

  // One attempt per invoice; a failed call leaves the payment pending (the next attempt would reuse its key).
  for (const id of ids) {
    try {
      await attemptInvoicePayment(ctx(db), id);
    } catch {
      // stays pending: retryable under the same key
    }
  }
  let unpaidAfterFirstPass = 0;
  for (const id of ids) if ((await invoiceRow(db, id)).status !== "paid") unpaidAfterFirstPass += 1;

  // The janitor runs while the faults go on (it may itself hit them).
  const during = await reconcilePayments(db, new Date(NOW.getTime() + 10 * 60_000));

  // Every invoice is paid, or open with a retryable payment: pending (same key next time) or never submitted.
  for (const id of ids) {
    const invoice = await invoiceRow(db, id);
    if (invoice.status === "paid") continue;
    expect(invoice.status, id).toBe("open");
    const latest = (await paymentsOf(db, id)).at(-1);
    expect(latest?.status === "pending" || (latest?.status === "failed" && latest.failureCode === NOT_SUBMITTED), `${id}: ${latest?.status} ${latest?.failureCode}`).toBe(true);
  }

  // The faults stop: the janitor, then one more attempt for what it closed as never submitted, settle everything.
  fake().clearFaults();
  const after = await reconcilePayments(db, new Date(NOW.getTime() + 20 * 60_000));
  for (const id of ids) {
    if ((await invoiceRow(db, id)).status !== "paid") await attemptInvoicePayment(ctx(db), id);
  }

  const sent = fake().requests.slice(firstSeq);
  for (const id of ids) {
    const invoice = await invoiceRow(db, id);
    expect(invoice, id).toMatchObject({ status: "paid", amountPaid: 1100, amountRemaining: 0 });
    const rows = await paymentsOf(db, id);
    expect(rows.filter((p) => p.status === "succeeded"), id).toHaveLength(1);
    expect(rows.every((p) => p.status === "succeeded" || (p.status === "failed" && p.failureCode === NOT_SUBMITTED)), id).toBe(true);

    // No duplicate charge: one succeeded PaymentIntent per invoice, the one the payment records.
    const intents = fake().intentsFor(id);
    const succeeded = intents.filter((pi) => pi.status === "succeeded");
    expect(succeeded, id).toHaveLength(1);
    expect(rows.find((p) => p.status === "succeeded")?.gatewayId).toBe(succeeded[0]?.id);
    // Each PaymentIntent was created under its own attempt's key, and that key belongs to a payment of this invoice.
    const keys = intents.map((pi) => fake().intentKeys.get(pi.id));
    expect(new Set(keys).size, id).toBe(intents.length);
    for (const key of keys) expect(rows.map((p) => p.idempotencyKey), id).toContain(key);
  }

  // Every create carried its attempt's key; a retry never went out without it or under another one.
  const creates = sent.filter(isCreateIntent);
  for (const r of creates) {
    const metadata = r.params.metadata as Record<string, string>;
    expect(r.idempotencyKey ?? "").toMatch(new RegExp(`^inv_${metadata.invoice_id}_attempt_\\d+$`));
  }

  // 429s were waited out per Retry-After (1 s) before the same request went again, with the same key.
  const limited = sent.filter((r) => r.fault === "429" && r.method === "POST");
  for (const r of limited) {
    const next = sent.find((s) => s.seq > r.seq && s.idempotencyKey === r.idempotencyKey);
    expect(next, `retry of ${r.idempotencyKey}`).toBeDefined();
    expect((next?.at ?? 0) - r.at).toBeGreaterThanOrEqual(1_000);
    expect(next?.params).toEqual(r.params);
  }
  // A new key only ever followed an attempt Stripe never saw (closed by the janitor as not_submitted);
  // an attempt whose answer was lost was settled under its own key, never charged again under a new one.
  for (const id of ids) {
    const rows = await paymentsOf(db, id);
    rows.forEach((p, i) => {
      expect(p.attempt).toBe(i + 1);
      if (i < rows.length - 1) expect(p, `${id} attempt ${p.attempt}`).toMatchObject({ status: "failed", failureCode: NOT_SUBMITTED });
    });
    for (const r of sent.filter((x) => x.fault === "lost" && isCreateIntent(x) && (x.params.metadata as Record<string, string>).invoice_id === id)) {
      expect(rows.find((p) => p.idempotencyKey === r.idempotencyKey)?.status, `lost answer for ${r.idempotencyKey}`).toBe("succeeded");
    }
  }
  const janitor = { settled: during.settled + after.settled, notSubmitted: during.notSubmitted + after.notSubmitted, errors: during.errors.length + after.errors.length };
  return { unpaidAfterFirstPass, janitor, faults: [...new Set(sent.map((r) => r.fault).filter((f): f is FaultKind => f !== null))].sort() };
}
