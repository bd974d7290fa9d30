import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import { customers, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { GET as listEvents } from "@/app/api/v1/events/route";
import { GET as getEvent } from "@/app/api/v1/events/[id]/route";
import { systemActor } from "@/lib/actor";
import { randomToken } from "@/lib/ids";
import { dispatchOutbox, enqueueEvent } from "@/lib/events/outbox";
import { listenForCommittedEvents } from "@/lib/jobs/wake-on-commit";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { deliverDueWebhooks, ORDER_HOLD_ATTEMPTS } from "@/lib/services/webhooks/deliveries";
import { createWebhookEndpoint, resendEvent } from "@/lib/services/webhooks/endpoints";
import { newKey } from "../api/support";
import { answer, refusedWith, type Json } from "../usage/support";
import { startReceiver } from "./receiver";

/** Deliveries are written at the real time; each pass runs a little after it. */
const SEC = 1_000;
const MIN = 60 * SEC;
const fixed = { random: () => 0.5 };
const later = (base: Date, ms: number) => new Date(base.getTime() + ms);

const receivers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  await (await getDb()).update(webhookEndpoints).set({ status: "disabled", deletedAt: new Date() });
});

async function receiver(options: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(options);
  receivers.push(r);
  return r;
}

/** One event per [customer] in its own transaction, 1 ms apart in this order, then dispatched (deliveries written). */
async function emit(db: Db, customerIds: string[], at = new Date()): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, customer] of customerIds.entries()) {
    ids.push(await db.transaction((tx) => enqueueEvent(tx, { type: "customer.updated", customerId: customer, payload: { customer } }, later(at, i))));
  }
  while ((await dispatchOutbox(db, outboxHandler(db))) > 0);
  return ids;
}

describe("outbound webhooks: order per customer, mode, wake-up on commit", () => {
  it("holds a customer's later event behind an earlier one being retried; other customers flow on", async () => {
    const db = await getDb();
    const [a, b] = [`cus_a${randomToken(6)}`, `cus_b${randomToken(6)}`];
    let secret = "";
    let failFirst = "";
    let failed = 0;
    // A receiver that refuses A's first event on its first try only.
    const refusing = await receiver({
      secrets: () => [secret],
      answer: (id) => (id === failFirst && failed++ === 0 ? 500 : 200),
    });
    const e = await createWebhookEndpoint({ db, actor: systemActor("test"), now: new Date() }, { url: refusing.url, events: ["*"], livemode: false });
    secret = e.secret;
    const [a1, b1, a2, b2] = await emit(db, [a, b, a, b]);
    failFirst = a1!;
    const t0 = later(new Date(), SEC);

    expect(await deliverDueWebhooks(db, t0, fixed)).toMatchObject({ succeeded: 2, failed: 1 });
    expect(refusing.received.map((x) => x.webhookId)).toEqual([b1, b2]);
    // A's second event waits while its first waits for its retry (5 s); B's next event goes at once.
    const [b3] = await emit(db, [b]);
    expect(await deliverDueWebhooks(db, later(t0, 2 * SEC), fixed)).toMatchObject({ succeeded: 1, failed: 0 });
    expect(refusing.received.map((x) => x.webhookId)).toEqual([b1, b2, b3]);
    const [waiting] = await db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.endpointId, e.id), eq(webhookDeliveries.eventId, a2!)));
    expect(waiting).toMatchObject({ status: "pending", attempts: 0, claimedUntil: null });

    // The retry delivers A's first event, then its second, in that order.
    expect(await deliverDueWebhooks(db, later(t0, 6 * SEC), fixed)).toMatchObject({ succeeded: 2, failed: 0 });
    expect(refusing.received.map((x) => x.webhookId)).toEqual([b1, b2, b3, a1, a2]);
  });

  it(`releases the customer's later events once the earlier one has failed ${ORDER_HOLD_ATTEMPTS} attempts (about five minutes)`, async () => {
    const db = await getDb();
    const c = `cus_c${randomToken(6)}`;
    let secret = "";
    let bad = "";
    const r = await receiver({ secrets: () => [secret], answer: (id) => (id === bad ? 503 : 200) });
    const e = await createWebhookEndpoint({ db, actor: systemActor("test"), now: new Date() }, { url: r.url, events: ["*"], livemode: false });
    secret = e.secret;
    const [c1, c2] = await emit(db, [c, c]);
    bad = c1!;
    const t0 = later(new Date(), SEC);
    // Attempts at t0, +5 s, +5 min (jitter fixed at 0): the later event waits through all three.
    let at = t0;
    for (const wait of [0, 5 * SEC, 5 * MIN]) {
      at = later(at, wait);
      await deliverDueWebhooks(db, at, fixed);
      if (wait !== 5 * MIN) expect(r.received).toHaveLength(0);
    }
    // The third failure released it (the first now waits 30 min): delivered on the next pass.
    await deliverDueWebhooks(db, at, fixed);
    expect(r.received.map((x) => x.webhookId)).toEqual([c2]);
    const [first] = await db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.endpointId, e.id), eq(webhookDeliveries.eventId, c1!)));
    expect(first).toMatchObject({ status: "pending", attempts: ORDER_HOLD_ATTEMPTS });
  });

  it("sends one customer's claimed events one after another in event order, with many requests in flight", async () => {
    const db = await getDb();
    const customerIds = Array.from({ length: 4 }, (_, i) => `cus_o${i}${randomToken(6)}`);
    let secret = "";
    const r = await receiver({ secrets: () => [secret], delayMs: () => Math.floor(Math.random() * 15) });
    const e = await createWebhookEndpoint({ db, actor: systemActor("test"), now: new Date() }, { url: r.url, events: ["*"], livemode: false });
    secret = e.secret;
    // Five rounds over four customers, interleaved; one customer's events also share a transaction.
    const ids = await emit(db, Array.from({ length: 20 }, (_, i) => customerIds[i % 4]!));
    const together = later(new Date(), 50);
    const same = await db.transaction(async (tx) => [
      await enqueueEvent(tx, { type: "customer.updated", customerId: customerIds[0]!, payload: { customer: customerIds[0]! } }, together),
      await enqueueEvent(tx, { type: "customer.deleted", customerId: customerIds[0]!, payload: { customer: customerIds[0]!, retain_until: together.toISOString() } }, together),
    ]);
    while ((await dispatchOutbox(db, outboxHandler(db))) > 0);

    expect(await deliverDueWebhooks(db, later(new Date(), SEC), { ...fixed, concurrency: 8 })).toMatchObject({ succeeded: 22 });
    const order = r.received.map((x) => x.webhookId);
    for (const [k, customer] of customerIds.entries()) {
      const expected = ids.filter((_, i) => i % 4 === k).concat(k === 0 ? same : []);
      expect(order.filter((id) => expected.includes(id)), customer).toEqual(expected);
    }
  });

  it("gives each event the mode of its customer (or the mode it was written with); an endpoint hears only its own mode", async () => {
    const db = await getDb();
    const live = `cus_live${randomToken(6)}`;
    const test = `cus_test${randomToken(6)}`;
    await db.insert(customers).values([
      { id: live, email: `${live}@example.test`, currency: "aud", timezone: "Australia/Sydney", livemode: true },
      { id: test, email: `${test}@example.test`, currency: "aud", timezone: "Australia/Sydney", livemode: false },
    ]);
    let secrets: string[] = [];
    const liveReceiver = await receiver({ secrets: () => secrets });
    const testReceiver = await receiver({ secrets: () => secrets });
    const ctx = { db, actor: systemActor("test"), now: new Date() };
    const liveEndpoint = await createWebhookEndpoint(ctx, { url: liveReceiver.url, events: ["*"], livemode: true });
    const testEndpoint = await createWebhookEndpoint(ctx, { url: testReceiver.url, events: ["*"], livemode: false });
    secrets = [liveEndpoint.secret, testEndpoint.secret];

    const [liveEvent, testEvent] = await emit(db, [live, test]);
    // An event about no customer: the mode it was written with (an API-cost provider's).
    const providerEvent = await db.transaction((tx) =>
      enqueueEvent(
        tx,
        {
          type: "api_cost.quota_warning",
          entityId: "prov_live",
          livemode: true,
          payload: { provider: "prov_live", code: "openai", threshold: 80, limit: 100, used: "80", period: "day", period_start: new Date().toISOString(), period_end: new Date().toISOString(), livemode: true },
        },
        new Date(),
      ),
    );
    while ((await dispatchOutbox(db, outboxHandler(db))) > 0);

    await deliverDueWebhooks(db, later(new Date(), SEC), fixed);
    expect(liveReceiver.received.map((x) => x.webhookId).sort()).toEqual([liveEvent, providerEvent].sort());
    expect(testReceiver.received.map((x) => x.webhookId)).toEqual([testEvent]);
    expect(liveReceiver.received.every((x) => (JSON.parse(x.body) as { livemode: boolean }).livemode === true)).toBe(true);
    expect((JSON.parse(testReceiver.received[0]!.body) as { livemode: boolean }).livemode).toBe(false);
    // A resend across modes is refused as unknown.
    await expect(resendEvent(ctx, testEvent!, liveEndpoint.id)).rejects.toMatchObject({ code: "not_found" });

    // The API lists and shows only the key's mode, each event with its livemode.
    const testKey = (await newKey()).key;
    const listed = await answer<{ data: (Json & { id: string; livemode: boolean })[] }>(listEvents, testKey, 200, { method: "GET", path: "/events?limit=100" });
    expect(listed.data.map((x) => x.id)).toContain(testEvent);
    expect(listed.data.map((x) => x.id)).not.toContain(liveEvent);
    expect(listed.data.every((x) => x.livemode === false)).toBe(true);
    await refusedWith(getEvent, testKey, 404, { path: `/events/${liveEvent}`, params: { id: liveEvent! } });
    const liveKey = (await newKey(true)).key;
    expect(await answer<Json>(getEvent, liveKey, 200, { method: "GET", path: `/events/${liveEvent}`, params: { id: liveEvent! } })).toMatchObject({ id: liveEvent, livemode: true });
  });

  it("wakes the dispatcher when a transaction that wrote events commits, not before, and not for a rollback", async () => {
    const db = await getDb();
    let woken = 0;
    let wake: () => void = () => undefined;
    const listener = await listenForCommittedEvents(() => {
      woken++;
      wake();
    });
    try {
      // On connecting it calls once, for anything committed while it was not listening.
      await new Promise((resolve) => setTimeout(resolve, 50));
      woken = 0;
      const customer = `cus_w${randomToken(6)}`;
      const committed = new Promise<void>((resolve) => (wake = resolve));
      let before = -1;
      await db.transaction(async (tx) => {
        await enqueueEvent(tx, { type: "customer.updated", customerId: customer, payload: { customer } }, new Date());
        await enqueueEvent(tx, { type: "customer.updated", customerId: customer, payload: { customer } }, new Date());
        await new Promise((resolve) => setTimeout(resolve, 100));
        before = woken;
      });
      await committed;
      expect(before).toBe(0);
      // One wake-up per transaction, however many events it wrote.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(woken).toBe(1);

      await db
        .transaction(async (tx) => {
          await enqueueEvent(tx, { type: "customer.updated", customerId: customer, payload: { customer } }, new Date());
          tx.rollback();
        })
        .catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(woken).toBe(1);
    } finally {
      await listener.close();
    }
  });
});
