import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { emails, outboxEvents } from "@/db/schema";
import { dispatchOutbox, enqueueEvent, type OutboxEvent, type OutboxHandler } from "@/lib/events/outbox";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { ctx, eventsFor, needsPostgres, NOW } from "../services/support";
import { makeCatalog, makeCustomer } from "../factories";

let db: Db;

beforeAll(async () => {
  db = await getDb();
});

async function eventRow(id: string) {
  const [row] = await db.select().from(outboxEvents).where(eq(outboxEvents.id, id));
  if (!row) throw new Error(`event ${id} missing`);
  return row;
}

/** Dispatch until nothing is left, so events written by earlier tests in this file do not interfere. */
async function drain(handle: (event: OutboxEvent) => Promise<void> = async () => undefined) {
  while ((await dispatchOutbox(db, handle)) > 0) {
    // keep going
  }
}

describe("outbox", () => {
  it("an event enqueued in a rolled-back transaction is never written", async () => {
    let id = "";
    await expect(
      db.transaction(async (tx) => {
        id = await enqueueEvent(tx, { type: "product.created", entityId: "prod_rolled_back", payload: { product: "prod_rolled_back" } }, NOW);
        throw new Error("the state change failed");
      }),
    ).rejects.toThrow("the state change failed");
    expect(id).toMatch(/^evt_/);
    expect(await db.select().from(outboxEvents).where(eq(outboxEvents.id, id))).toEqual([]);
    expect(await db.select().from(outboxEvents).where(eq(outboxEvents.entityId, "prod_rolled_back"))).toEqual([]);

    // The same call in a committed transaction is written, undispatched.
    const kept = await db.transaction((tx) => enqueueEvent(tx, { type: "product.updated", entityId: "x1", payload: { product: "x1" } }, NOW));
    expect(await eventRow(kept)).toMatchObject({ type: "product.updated", entityId: "x1", payload: { product: "x1" }, dispatchedAt: null, attempts: 0, lastError: null });
  });

  it.skipIf(needsPostgres)("3 concurrent dispatchers deliver each event exactly once (needs PostgreSQL)", async () => {
    await drain();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      ids.push(await enqueueEvent(db, { type: "product.updated", entityId: `e${i}`, payload: { product: `e${i}` } }, new Date(NOW.getTime() + i)));
    }
    const calls = new Map<string, number>();
    const handle = async (event: OutboxEvent) => {
      calls.set(event.id, (calls.get(event.id) ?? 0) + 1);
      // Hold the claim a little so the dispatchers overlap.
      await new Promise((resolve) => setTimeout(resolve, 2));
    };
    const dispatcher = async () => {
      let total = 0;
      for (;;) {
        const n = await dispatchOutbox(db, handle, 5);
        if (n === 0) return total;
        total += n;
      }
    };
    const totals = await Promise.all([dispatcher(), dispatcher(), dispatcher()]);
    expect(totals.reduce((a, b) => a + b, 0)).toBe(40);
    expect(totals.filter((t) => t > 0).length).toBeGreaterThan(1);
    expect([...calls.keys()].sort()).toEqual([...ids].sort());
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    const rows = await db.select().from(outboxEvents).where(inArray(outboxEvents.id, ids));
    expect(rows.every((r) => r.dispatchedAt !== null && r.attempts === 1 && r.lastError === null && r.claimedUntil === null)).toBe(true);
  });

  it("a failing handler leaves the event undispatched with last_error and attempts; a later dispatch delivers it", async () => {
    await drain();
    const id = await enqueueEvent(db, { type: "product.updated", entityId: "f1", payload: { product: "f1" } }, NOW);
    const seen: string[] = [];
    const failing = async (event: OutboxEvent) => {
      seen.push(event.id);
      if (event.id === id) throw new Error("webhook endpoint answered 500");
    };
    expect(await dispatchOutbox(db, failing)).toBe(1);
    expect(seen).toEqual([id]);
    expect(await eventRow(id)).toMatchObject({ dispatchedAt: null, attempts: 1, lastError: "webhook endpoint answered 500", claimedUntil: null });

    await dispatchOutbox(db, failing);
    expect(await eventRow(id)).toMatchObject({ dispatchedAt: null, attempts: 2, lastError: "webhook endpoint answered 500" });

    const delivered: string[] = [];
    expect(await dispatchOutbox(db, async (event) => void delivered.push(event.id))).toBe(1);
    expect(delivered).toEqual([id]);
    const row = await eventRow(id);
    expect(row).toMatchObject({ attempts: 3, lastError: null, claimedUntil: null });
    expect(row.dispatchedAt).toBeInstanceOf(Date);

    // Dispatched events are not delivered again.
    expect(await dispatchOutbox(db, async (event) => void delivered.push(event.id))).toBe(0);
    expect(delivered).toEqual([id]);
  });

  it("afterBatch runs once per batch with the events whose handler succeeded; if it fails they stay pending with its error", async () => {
    await drain();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await enqueueEvent(db, { type: "product.updated", entityId: `b${i}`, payload: { product: `b${i}` } }, new Date(NOW.getTime() + i)));
    const batches: string[][] = [];
    const handler = (failBatch: boolean): OutboxHandler =>
      Object.assign(
        async (event: OutboxEvent) => {
          if (event.id === ids[1]) throw new Error("handler failed");
        },
        {
          afterBatch: async (events: readonly OutboxEvent[]) => {
            batches.push(events.map((e) => e.id));
            if (failBatch) throw new Error("refresh failed");
          },
        },
      );
    expect(await dispatchOutbox(db, handler(true))).toBe(3);
    expect(batches).toEqual([[ids[0], ids[2]]]);
    for (const id of ids) expect(await eventRow(id)).toMatchObject({ dispatchedAt: null, attempts: 1, claimedUntil: null });
    expect((await eventRow(ids[0]!)).lastError).toBe("refresh failed");
    expect((await eventRow(ids[1]!)).lastError).toBe("handler failed");

    expect(await dispatchOutbox(db, handler(false))).toBe(3);
    expect(batches[1]).toEqual([ids[0], ids[2]]);
    expect((await eventRow(ids[0]!)).dispatchedAt).toBeInstanceOf(Date);
    expect((await eventRow(ids[2]!)).dispatchedAt).toBeInstanceOf(Date);
    expect(await eventRow(ids[1]!)).toMatchObject({ dispatchedAt: null, attempts: 2, lastError: "handler failed" });
    await drain();
  });

  it("invoice.paid sends exactly one receipt email, even when handled twice", async () => {
    const catalog = await makeCatalog(db);
    const c = ctx(db);
    const customer = await makeCustomer(c, { email: "receipt@example.test", name: "Rita Receipt" });
    const { invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    if (!invoice) throw new Error("no invoice");
    const [paid] = await eventsFor(db, invoice.id, "invoice.paid");
    if (!paid) throw new Error("no invoice.paid event");
    const event: OutboxEvent = { id: paid.id, type: paid.type, customerId: paid.customerId, entityId: paid.entityId, payload: paid.payload as Record<string, unknown> };

    const handle = outboxHandler(db);
    await handle(event);
    await handle(event);
    // And through the dispatcher, as the job runner would.
    await drain(handle);

    const sent = await db.select().from(emails).where(and(eq(emails.template, "receipt"), eq(emails.customerId, customer.id)));
    expect(sent).toHaveLength(1);
    // Sent under the receipt's own event (receipt.created), which the dispatcher then handles without a second email.
    const [created] = await db.select().from(outboxEvents).where(and(eq(outboxEvents.type, "receipt.created"), eq(outboxEvents.customerId, customer.id)));
    expect(sent[0]).toMatchObject({ to: "receipt@example.test", eventId: created?.id, subject: expect.stringMatching(new RegExp(`^Receipt RCT-\\d{6} for invoice ${invoice.number}$`)), transport: "outbox", status: "sent" });
    expect(sent[0]?.text).toContain("$10.00");
    expect(sent[0]?.text).toContain(invoice.number ?? "?");
    expect(sent[0]?.text).toContain("Rita Receipt");
    expect(sent[0]?.text).toContain("$0.91");
    expect(sent[0]?.html).toContain(`/i/${invoice.hostedToken}`);
    expect((await eventRow(paid.id)).dispatchedAt).toBeInstanceOf(Date);
  });
});
