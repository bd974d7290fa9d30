import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Pool } from "pg";
import { getDb, type Db } from "@/db/client";
import { recordStripeEvent } from "@/lib/payments/webhooks/receive";
import { stripeQueueIdle } from "@/lib/payments/webhooks/queue";
import { ctx, eventsFor, needsPostgres } from "../services/support";
import { chargedButUnrecorded, eventRow, paymentIntent, paymentRow, post, stripeEvent, waitForProcessed, withConcurrency } from "./support";
import { makeCatalog, type Catalog } from "../factories";

let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

/** The node-postgres pool behind the database handle (the route's only way to the database). */
function poolOf(handle: Db): Pool {
  return (handle as unknown as { $client: Pool }).$client;
}

describe("recording a delivery: one statement, three outcomes", () => {
  it("new, then unprocessed, then duplicate once processed — on the pool and inside a transaction alike; the payload is the body as signed", async () => {
    for (const via of ["pool", "transaction"] as const) {
      const event = stripeEvent({ type: "customer.updated", object: { id: `cus_${via}`, object: "customer", name: "Ünïcode & \"quotes\"" } });
      const raw = JSON.stringify(event, null, 2);
      const record = (opts: { raw?: string } = {}) =>
        via === "pool" ? recordStripeEvent(db, event, opts) : db.transaction((tx) => recordStripeEvent(tx as unknown as Db, event, opts));
      expect(await record({ raw })).toBe("new");
      expect(await record({ raw })).toBe("unprocessed");
      expect(await record()).toBe("unprocessed");
      const row = await eventRow(db, event.id);
      expect(row).toMatchObject({ type: "customer.updated", livemode: false, processedAt: null, attempts: 0 });
      expect(row?.payload).toEqual(JSON.parse(raw));
      expect(row?.receivedAt).toBeInstanceOf(Date);
      // Processed (by whichever run): every later delivery is a duplicate.
      await post(event);
      await waitForProcessed(event.id);
      expect(await record({ raw })).toBe("duplicate");
    }
  });

  it("an event Tally synthesized (no raw body) is stored as the event serialized", async () => {
    const event = stripeEvent({ type: "customer.created", object: { id: "cus_synth", object: "customer" } });
    expect(await recordStripeEvent(db, event, { now: new Date("2026-01-02T03:04:05.000Z") })).toBe("new");
    expect(await eventRow(db, event.id)).toMatchObject({ payload: event, receivedAt: new Date("2026-01-02T03:04:05.000Z") });
  });
});

describe.skipIf(needsPostgres)("the accept path (needs PostgreSQL)", () => {
  it("answers a new event and a redelivery with exactly one database statement each, and processes nothing before answering", async () => {
    const seed = await chargedButUnrecorded(ctx(db), catalog);
    const event = stripeEvent({ type: "payment_intent.succeeded", object: paymentIntent(seed.payment, "succeeded") });
    const pool = poolOf(db);
    const query = vi.spyOn(pool, "query");

    const first = await post(event);
    // The route has answered; the queue has not started (it waits for the next turn of the event loop).
    expect(query).toHaveBeenCalledTimes(1);
    expect(query.mock.calls[0]?.[0]).toMatchObject({ name: "tally_record_stripe_event" });
    expect(await first.json()).toMatchObject({ status: "accepted" });
    await waitForProcessed(event.id);
    expect((await paymentRow(db, seed.payment.id)).status).toBe("succeeded");
    await stripeQueueIdle();

    query.mockClear();
    const again = await post(event);
    expect(await again.json()).toMatchObject({ status: "duplicate" });
    expect(query).toHaveBeenCalledTimes(1);
    await stripeQueueIdle();
    expect(query).toHaveBeenCalledTimes(1); // a processed event queues nothing
  });

  it("the same new event delivered 12 times at once: every delivery 200, processed exactly once, the invoice paid once", async () => {
    const seed = await chargedButUnrecorded(ctx(db), catalog);
    const event = stripeEvent({ type: "payment_intent.succeeded", object: paymentIntent(seed.payment, "succeeded") });
    const responses = await withConcurrency(Array.from({ length: 12 }, (_, i) => i), 12, () => post(event));
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { status: string }[];
    expect(bodies.every((b) => b.status === "accepted" || b.status === "duplicate")).toBe(true);
    await waitForProcessed(event.id);
    await stripeQueueIdle();
    expect(await eventRow(db, event.id)).toMatchObject({ attempts: 1, error: null });
    expect((await paymentRow(db, seed.payment.id)).status).toBe("succeeded");
    expect(await eventsFor(db, seed.invoiceId, "invoice.paid")).toHaveLength(1);
  });
});
