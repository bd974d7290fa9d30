import { and, asc, eq } from "drizzle-orm";
import { InngestTestEngine } from "@inngest/test";
import { afterEach, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import { auditLog, webhookDeliveries, webhookDeliveryAttempts, webhookEndpoints } from "@/db/schema";
import { webhookEndpointDeliver, webhooksFanOut } from "@/inngest/functions/webhooks";
import { systemActor } from "@/lib/actor";
import { dispatchOutbox, enqueueEvent } from "@/lib/events/outbox";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { CLAIM_MS, createDeliveriesFor, deliverDueWebhooks, startWebhookLanes } from "@/lib/services/webhooks/deliveries";
import { createWebhookEndpoint, replayEvents, resendEvent, rotateWebhookSecret, type WebhookEndpointRow } from "@/lib/services/webhooks/endpoints";
import { toEventObject } from "@/lib/webhooks/delivery";
import { mockSends, sentBatches, tick } from "../inngest/support";
import { startReceiver } from "./receiver";
import { metrics } from "@/lib/observability/metrics";

/** Each test works ten days after the previous one, in the future (deliveries written at the real time are due). */
let T0 = new Date("2030-01-01T10:00:00.000Z");
const MIN = 60_000;
const HOUR = 60 * MIN;
const ctxAt = (db: Db, now: Date) => ({ db, actor: systemActor("test"), now });
const fixed = { random: () => 0.5 };

const receivers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  // The next test's endpoints alone hear its events.
  await (await getDb()).update(webhookEndpoints).set({ status: "disabled", deletedAt: T0 });
  T0 = new Date(T0.getTime() + 10 * 24 * HOUR);
});

async function receiver(options: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(options);
  receivers.push(r);
  return r;
}

async function endpoint(db: Db, url: string, events: string[] = ["*"]): Promise<WebhookEndpointRow> {
  return createWebhookEndpoint(ctxAt(db, T0), { url, events, livemode: false });
}

/** Events written in their own transactions, then dispatched by the outbox (which writes the deliveries). */
async function emit(db: Db, n: number, type: "customer.created" | "customer.updated" = "customer.created", at = T0): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(await db.transaction((tx) => enqueueEvent(tx, { type, customerId: `cus_${i}`, payload: { customer: `cus_${i}` } }, new Date(at.getTime() + i))));
  }
  while ((await dispatchOutbox(db, outboxHandler(db))) > 0);
  return ids;
}

/** tally_webhook_delivery_attempts_total by outcome, as /metrics would show it (decision 040). */
async function attemptsCounted(): Promise<Record<string, number>> {
  const { values } = await metrics().webhookDeliveries.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.outcome), v.value]));
}

const deliveriesOf = (db: Db, endpointId: string) => db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId)).orderBy(asc(webhookDeliveries.eventCreatedAt));

describe("outbound webhooks", () => {
  it("delivers each event once per endpoint that wants it, signed per Standard Webhooks, with the event id as webhook-id, and logs excerpts", async () => {
    const db = await getDb();
    let secrets: string[] = [];
    const r = await receiver({ secrets: () => secrets });
    const all = await endpoint(db, r.url);
    const updates = await endpoint(db, r.url, ["customer.updated"]);
    secrets = [all.secret, updates.secret];
    const created = await emit(db, 3, "customer.created");
    const updated = await emit(db, 2, "customer.updated");

    expect(await deliveriesOf(db, all.id)).toHaveLength(5);
    expect((await deliveriesOf(db, updates.id)).map((d) => d.eventId)).toEqual(updated);
    // The same event dispatched again (a dispatcher that died after the handler ran): nothing new.
    expect(await createDeliveriesFor(db, [{ id: created[0]!, type: "customer.created" }], T0)).toBe(0);

    const counted = await attemptsCounted();
    expect(await deliverDueWebhooks(db, T0, fixed)).toMatchObject({ succeeded: 7, failed: 0, endpoints: 2 });
    expect((await attemptsCounted()).succeeded).toBe((counted.succeeded ?? 0) + 7);
    expect(r.rejected()).toBe(0);
    expect(r.received).toHaveLength(7);
    expect(new Set(r.received.map((x) => x.webhookId))).toEqual(new Set([...created, ...updated]));
    const first = r.received.find((x) => x.webhookId === created[0])!;
    expect(JSON.parse(first.body)).toEqual(toEventObject({ id: created[0]!, type: "customer.created", createdAt: T0, payload: { customer: "cus_0" }, livemode: false }));
    expect(first.verifiedWith).toEqual([all.secret]);

    const log = await db.select().from(webhookDeliveryAttempts).where(eq(webhookDeliveryAttempts.endpointId, all.id));
    expect(log).toHaveLength(5);
    expect(log[0]).toMatchObject({ outcome: "succeeded", statusCode: 200, attempt: 1, trigger: "automatic", responseExcerpt: "ok" });
    expect(log[0]!.requestExcerpt).toContain('"object":"event"');
    // Nothing due any more: a second pass sends nothing.
    expect(await deliverDueWebhooks(db, new Date(T0.getTime() + HOUR), fixed)).toMatchObject({ succeeded: 0, endpoints: 0 });
  });

  it("loses nothing when the deliverer is killed mid-delivery; the redelivered event carries the same webhook-id", async () => {
    const db = await getDb();
    const abort = new AbortController();
    let secret = "";
    const r = await receiver({
      secrets: () => [secret],
      onRequest: () => {
        if (r.received.length === 5) abort.abort();
      },
    });
    const e = await endpoint(db, r.url);
    secret = e.secret;
    const ids = await emit(db, 20);

    await expect(deliverDueWebhooks(db, T0, { ...fixed, concurrency: 1, signal: abort.signal })).rejects.toThrow();
    expect(r.received).toHaveLength(5);
    // Restarted at once: the dead pass's claim still holds, nothing is sent twice at the same time.
    expect(await deliverDueWebhooks(db, new Date(T0.getTime() + 1_000), fixed)).toMatchObject({ succeeded: 0 });
    // After the claim expires, everything not recorded as delivered is sent, the fifth event again.
    expect(await deliverDueWebhooks(db, new Date(T0.getTime() + CLAIM_MS + 1_000), fixed)).toMatchObject({ succeeded: 16 });

    expect(new Set(r.received.map((x) => x.webhookId))).toEqual(new Set(ids));
    const fifth = r.received.filter((x) => x.webhookId === ids[4]);
    expect(fifth).toHaveLength(2);
    expect(fifth[0]!.body).toBe(fifth[1]!.body);
    expect(r.received).toHaveLength(21);
    expect((await deliveriesOf(db, e.id)).every((d) => d.status === "succeeded")).toBe(true);
  });

  it("a receiver down for an hour gets everything after it returns; one down for good is given up after about three days", async () => {
    const db = await getDb();
    let up = false;
    let secret = "";
    const r = await receiver({ secrets: () => [secret], answer: () => (up ? 200 : 503) });
    const e = await endpoint(db, r.url);
    secret = e.secret;
    const ids = await emit(db, 4);

    for (let t = 0; t <= 4 * HOUR; t += 5 * MIN) {
      up = t >= HOUR;
      await deliverDueWebhooks(db, new Date(T0.getTime() + t), fixed);
    }
    expect(r.received.map((x) => x.webhookId).sort()).toEqual([...ids].sort());
    const rows = await deliveriesOf(db, e.id);
    expect(rows.every((d) => d.status === "succeeded")).toBe(true);
    // 5 s, 5 min, 30 min failed (while down), the 2 h retry delivered: 5 attempts, each logged.
    expect(rows[0]).toMatchObject({ attempts: 5 });
    const log = await db.select().from(webhookDeliveryAttempts).where(eq(webhookDeliveryAttempts.deliveryId, rows[0]!.id)).orderBy(asc(webhookDeliveryAttempts.attempt));
    expect(log.map((a) => a.outcome)).toEqual(["failed", "failed", "failed", "failed", "succeeded"]);
    expect(log[0]).toMatchObject({ statusCode: 503, error: null });

    // Down for good: ten attempts over about three days, then failed.
    const later = new Date(T0.getTime() + 5 * HOUR);
    up = false;
    const [gone] = await emit(db, 1, "customer.updated", later);
    for (let t = 0; t <= 4 * 24 * HOUR; t += HOUR) await deliverDueWebhooks(db, new Date(later.getTime() + t), fixed);
    const [failed] = await db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.endpointId, e.id), eq(webhookDeliveries.eventId, gone!)));
    expect(failed).toMatchObject({ status: "failed", attempts: 10 });
    const spanDays = (failed!.lastAttemptAt!.getTime() - later.getTime()) / (24 * HOUR);
    expect(spanDays).toBeGreaterThan(2.9);
    expect(spanDays).toBeLessThan(3.5);
  });

  it("an endpoint answering 410 is disabled (audited) and hears nothing more; other endpoints are unaffected", async () => {
    const db = await getDb();
    let secrets: string[] = [];
    const gone = await receiver({ secrets: () => secrets, answer: () => 410 });
    const fine = await receiver({ secrets: () => secrets });
    const g = await endpoint(db, gone.url);
    const f = await endpoint(db, fine.url);
    secrets = [g.secret, f.secret];
    await emit(db, 3);

    const counted = await attemptsCounted();
    expect(await deliverDueWebhooks(db, T0, { ...fixed, concurrency: 1 })).toMatchObject({ succeeded: 3, disabled: 1 });
    expect(await attemptsCounted()).toMatchObject({ succeeded: (counted.succeeded ?? 0) + 3, disabled: (counted.disabled ?? 0) + 1 });
    const [after] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, g.id));
    expect(after).toMatchObject({ status: "disabled", disabledAt: T0 });
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.entityId, g.id), eq(auditLog.action, "webhook_endpoint.disabled")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "system", after: { status: "disabled", reason: "410_gone" } });
    const rows = await deliveriesOf(db, g.id);
    expect(rows.map((d) => d.status).sort()).toEqual(["failed", "pending", "pending"]);
    await emit(db, 1, "customer.created", new Date(T0.getTime() + MIN));
    expect(await deliveriesOf(db, g.id)).toHaveLength(3);
    expect(await deliverDueWebhooks(db, new Date(T0.getTime() + HOUR), fixed)).toMatchObject({ succeeded: 1, disabled: 0 });
    expect(fine.received).toHaveLength(4);
  });

  it("a slow receiver delays only its own endpoint: its lane runs on while the others are served", async () => {
    const db = await getDb();
    let secrets: string[] = [];
    const slow = await receiver({ secrets: () => secrets, delayMs: () => 700 });
    const fast = await receiver({ secrets: () => secrets });
    const s = await endpoint(db, slow.url);
    const f = await endpoint(db, fast.url);
    secrets = [s.secret, f.secret];
    await emit(db, 3);

    const started = Date.now();
    expect(await startWebhookLanes(db, T0, () => undefined, { ...fixed, concurrency: 1 })).toEqual({ started: 2, running: 2 });
    while (fast.received.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(Date.now() - started).toBeLessThan(700);
    // The next pass does not claim the slow endpoint again while its lane runs.
    await emit(db, 1, "customer.updated", new Date(T0.getTime() + 1));
    expect(await startWebhookLanes(db, T0, () => undefined, fixed)).toMatchObject({ started: 1 });
    while (slow.received.length < 3 || fast.received.length < 4) await new Promise((resolve) => setTimeout(resolve, 20));

    // A receiver that does not answer within the timeout: a failed attempt, retried later.
    const never = await receiver({ secrets: () => secrets, delayMs: () => 2_000 });
    const n = await endpoint(db, never.url, ["customer.updated"]);
    secrets.push(n.secret);
    await emit(db, 1, "customer.updated", new Date(T0.getTime() + 2));
    await new Promise((resolve) => setTimeout(resolve, 800));
    const result = await deliverDueWebhooks(db, T0, { ...fixed, timeoutMs: 200, endpointId: n.id });
    expect(result).toMatchObject({ failed: 1 });
    const [row] = await deliveriesOf(db, n.id);
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "No answer within 200 ms" });
  });

  it("signs with both secrets during a rotation's overlap, then with the new one only", async () => {
    const db = await getDb();
    let accept: string[] = [];
    const r = await receiver({ secrets: () => accept });
    const e = await endpoint(db, r.url);
    const rotated = await rotateWebhookSecret(ctxAt(db, T0), e.id, HOUR);
    expect(rotated.secret).not.toBe(e.secret);
    expect(rotated.previousSecretExpiresAt).toEqual(new Date(T0.getTime() + HOUR));
    const audit = await db.select().from(auditLog).where(eq(auditLog.entityId, e.id));
    expect(JSON.stringify(audit)).not.toContain("whsec_");

    accept = [e.secret, rotated.secret];
    await emit(db, 1);
    await deliverDueWebhooks(db, T0, fixed);
    expect(r.received[0]!.verifiedWith).toEqual([e.secret, rotated.secret]);

    await emit(db, 1, "customer.updated", new Date(T0.getTime() + 2 * HOUR));
    await deliverDueWebhooks(db, new Date(T0.getTime() + 2 * HOUR), fixed);
    expect(r.received[1]!.verifiedWith).toEqual([rotated.secret]);
  });

  it("resends one event and replays a time range with the same webhook-ids, never duplicating deliveries (audited)", async () => {
    const db = await getDb();
    let secret = "";
    const r = await receiver({ secrets: () => [secret] });
    const e = await endpoint(db, r.url);
    secret = e.secret;
    const ids = await emit(db, 5);
    await deliverDueWebhooks(db, T0, fixed);

    const at = new Date(T0.getTime() + HOUR);
    await resendEvent(ctxAt(db, at), ids[1]!, e.id);
    await deliverDueWebhooks(db, at, fixed);
    expect(r.received.at(-1)!.webhookId).toBe(ids[1]);
    const [resent] = await db.select().from(webhookDeliveryAttempts).where(and(eq(webhookDeliveryAttempts.eventId, ids[1]!), eq(webhookDeliveryAttempts.trigger, "resend")));
    expect(resent).toMatchObject({ outcome: "succeeded", attempt: 1 });

    expect(await replayEvents(ctxAt(db, at), e.id, new Date(T0.getTime() + 2), new Date(T0.getTime() + 5))).toBe(3);
    await deliverDueWebhooks(db, at, fixed);
    expect(r.received.slice(-3).map((x) => x.webhookId)).toEqual(ids.slice(2, 5));
    expect(await deliveriesOf(db, e.id)).toHaveLength(5);
    const actions = (await db.select().from(auditLog).where(eq(auditLog.entityId, e.id))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["webhook_endpoint.event_resent", "webhook_endpoint.events_replayed"]));
    await expect(replayEvents(ctxAt(db, at), e.id, at, T0)).rejects.toMatchObject({ param: "to" });
  });

  it("runs as Inngest functions: the fan-out names each endpoint with due deliveries, the endpoint function delivers them", async () => {
    const db = await getDb();
    let secret = "";
    const r = await receiver({ secrets: () => [secret] });
    const e = await endpoint(db, r.url);
    secret = e.secret;
    await emit(db, 2);

    const { ctx } = await new InngestTestEngine({ function: webhooksFanOut }).execute({ events: tick(T0), steps: mockSends("send-due-endpoints", 1).map((s) => ({ ...s, id: "send-due-endpoints" })) });
    const [batch] = sentBatches(ctx);
    expect(batch).toEqual([{ name: "webhooks/endpoint.due", id: `webhooks:${e.id}:${T0.toISOString()}`, data: { endpointId: e.id, now: T0.toISOString() } }]);
    const { result } = await new InngestTestEngine({ function: webhookEndpointDeliver }).execute({ events: [{ name: "webhooks/endpoint.due", data: batch![0]!.data }] });
    expect(result).toEqual({ endpoint: e.id, succeeded: 2, failed: 0, disabled: 0 });
    expect(r.received).toHaveLength(2);
  });
});
