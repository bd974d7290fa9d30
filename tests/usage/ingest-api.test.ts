import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { getDb, queryRows } from "@/db/client";
import { auditLog } from "@/db/schema";
import { GET as listMeters, POST as postMeter } from "@/app/api/v1/meters/route";
import { GET as getMeter } from "@/app/api/v1/meters/[id]/route";
import { POST as postBatch } from "@/app/api/v1/usage_events/batch/route";
import { POST as postClock } from "@/app/api/v1/test_clocks/route";
import { randomToken } from "@/lib/ids";
import { newKey } from "../api/support";
import { answer, makeApiCustomer, makeMeter, refuseEvent, refusedWith, sendBatch, sendEvent, uniqueCode, type Json } from "./support";

let key: string;
let customer: Json;
let meter: Json & { code: string };
const id = () => `evt-${randomToken(10)}`;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

beforeAll(async () => {
  ({ key } = await newKey());
  customer = await makeApiCustomer(key, { external_id: `ext-${randomToken(8)}` });
  meter = await makeMeter(key, { aggregation: "sum", value_property: "tokens" });
});

describe("meters", () => {
  it("are created, listed and retrieved; each aggregation takes exactly the property it reads", async () => {
    expect(meter).toMatchObject({ object: "meter", version: 1, active: true, aggregation: "sum", value_property: "tokens", unique_property: null, filters: {}, livemode: false });
    expect(meter.id).toMatch(/^mtr_/);
    expect(await answer(getMeter, key, 200, { method: "GET", path: `/meters/${meter.id}`, params: { id: meter.id } })).toEqual(meter);

    const refuse = (body: Record<string, unknown>) => refusedWith(postMeter, key, 422, { path: "/meters", body: { code: uniqueCode("m"), ...body } });
    expect(await refuse({ aggregation: "sum" })).toMatchObject({ code: "validation_failed", param: "value_property" });
    expect(await refuse({ aggregation: "unique_count", value_property: "x" })).toMatchObject({ code: "validation_failed", param: "unique_property" });
    expect(await refuse({ aggregation: "count", unique_property: "x" })).toMatchObject({ code: "validation_failed", param: "unique_property" });
    expect(await refuse({ aggregation: "median", value_property: "x" })).toMatchObject({ code: "validation_failed", param: "aggregation" });
    expect(await refuse({ aggregation: "count", code: "has space" })).toMatchObject({ param: "code" });

    const res = await answer<{ data: Json[] }>(listMeters, key, 200, { method: "GET", path: `/meters?code=${meter.code}` });
    expect(res.data.map((m) => m.id)).toEqual([meter.id]);
    const live = await newKey(true);
    expect(await refusedWith(getMeter, live.key, 404, { path: `/meters/${meter.id}`, params: { id: meter.id } })).toMatchObject({ code: "not_found" });
  });

  it("a new definition of a code is its next version; the old one stays, inactive", async () => {
    const v1 = await makeMeter(key, { aggregation: "count" });
    const v2 = await answer<Json & { version: number; active: boolean }>(postMeter, key, 200, {
      path: "/meters",
      body: { code: v1.code, aggregation: "count", filters: { region: ["au", 2] } },
    });
    expect(v2).toMatchObject({ code: v1.code, version: 2, active: true, filters: { region: ["au", "2"] } });
    const list = await answer<{ data: (Json & { version: number; active: boolean })[] }>(listMeters, key, 200, { method: "GET", path: `/meters?code=${v1.code}` });
    expect(list.data.map((m) => [m.version, m.active])).toEqual([
      [2, true],
      [1, false],
    ]);
    const audit = await (await getDb()).select().from(auditLog).where(and(eq(auditLog.entityId, v1.id), eq(auditLog.action, "meter.updated")));
    expect(audit).toHaveLength(1);
  });
});

describe("POST /usage_events", () => {
  it("stores an event (201) and answers a repeat of its identifier with the stored event (200)", async () => {
    const identifier = id();
    const body = { identifier, meter: meter.code, customer: customer.id, timestamp: minutesAgo(10), properties: { tokens: 12.5, model: "small" } };
    const first = await sendEvent(key, body);
    expect(first).toMatchObject({ object: "usage_event", identifier, meter: meter.code, customer: customer.id, late: false, properties: { tokens: 12.5, model: "small" } });
    expect(first.id).toMatch(/^ue_/);
    // A retry, even with other properties, is the same event: nothing is counted twice.
    const again = await sendEvent(key, { ...body, properties: { tokens: 99 } }, 200);
    expect(again).toEqual(first);
    const [row] = await queryRows<{ n: number }>(await getDb(), sql`select count(*)::int as n from usage_events where identifier = ${identifier}`);
    expect(row?.n).toBe(1);
  });

  it("finds the customer by external_id", async () => {
    const event = await sendEvent(key, { identifier: id(), meter: meter.code, customer_external_id: customer.external_id, properties: { tokens: "3" } });
    expect(event.customer).toBe(customer.id);
  });

  it("refuses each bad event with a clear 422 (or 404 for an unknown customer)", async () => {
    const base = { identifier: id(), meter: meter.code, customer: customer.id, properties: { tokens: 1 } };
    expect(await refuseEvent(key, { ...base, meter: "no_such_meter" })).toMatchObject({ code: "meter_unknown", param: "meter" });
    expect(await refuseEvent(key, { ...base, properties: {} })).toMatchObject({ code: "usage_value_missing", param: "properties.tokens" });
    expect(await refuseEvent(key, { ...base, properties: { tokens: "lots" } })).toMatchObject({ code: "usage_value_invalid", param: "properties.tokens" });
    expect(await refuseEvent(key, { ...base, properties: { tokens: -1 } })).toMatchObject({ code: "usage_value_invalid" });
    expect(await refuseEvent(key, { ...base, timestamp: new Date(Date.now() + 6 * 60_000).toISOString() })).toMatchObject({ code: "usage_event_in_future", param: "timestamp" });
    expect(await refuseEvent(key, { ...base, timestamp: minutesAgo(8 * 24 * 60) })).toMatchObject({ code: "usage_event_too_old", param: "timestamp" });
    expect(await refuseEvent(key, { ...base, timestamp: "yesterday" })).toMatchObject({ code: "date_invalid", param: "timestamp" });
    expect(await refuseEvent(key, { ...base, customer: "cus_nosuchcustomer" }, 404)).toMatchObject({ code: "not_found", param: "customer" });
    expect(await refuseEvent(key, { ...base, customer: undefined, customer_external_id: "nobody" }, 404)).toMatchObject({ code: "not_found", param: "customer_external_id" });
    expect(await refuseEvent(key, { ...base, customer_external_id: "both" })).toMatchObject({ code: "validation_failed", param: "customer" });
    expect(await refuseEvent(key, { ...base, extra: 1 }, 400)).toMatchObject({ code: "unknown_field" });
    // Within five minutes ahead is clock skew, not the future.
    await sendEvent(key, { ...base, identifier: id(), timestamp: new Date(Date.now() + 4 * 60_000).toISOString() });
    // A live key does not see test customers.
    const live = await newKey(true);
    expect(await refuseEvent(live.key, { ...base, identifier: id() }, 404)).toMatchObject({ code: "not_found" });
  });

  it("a retry of an accepted event stays a duplicate after it would be refused", async () => {
    const identifier = id();
    await sendEvent(key, { identifier, meter: meter.code, customer: customer.id, properties: { tokens: 1 } });
    const retried = await sendEvent(key, { identifier, meter: "renamed_meter", customer: customer.id, properties: { tokens: 1 } }, 200);
    expect(retried.meter).toBe(meter.code);
  });
});

describe("POST /usage_events/batch", () => {
  it("judges each event alone: accepted, duplicates and rejections by index (202)", async () => {
    const seen = id();
    await sendEvent(key, { identifier: seen, meter: meter.code, customer: customer.id, properties: { tokens: 1 } });
    const good = (identifier = id()) => ({ identifier, meter: meter.code, customer: customer.id, properties: { tokens: 2 } });
    const twice = id();
    const result = await sendBatch(key, [
      good(),
      { ...good(), meter: "nope" },
      good(seen),
      good(twice),
      good(twice),
      "not an object",
      { ...good(), properties: { tokens: "x" } },
      { ...good(), timestamp: minutesAgo(60 * 24 * 30) },
      { ...good(), customer_external_id: customer.external_id, customer: undefined },
    ]);
    expect(result).toMatchObject({ object: "usage_event_batch", accepted: 3, duplicates: 2 });
    expect(result.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, "meter_unknown"],
      [5, "validation_failed"],
      [6, "usage_value_invalid"],
      [7, "usage_event_too_old"],
    ]);
    expect(result.rejected[0]?.detail).toMatch(/nope/);
  });

  it("sending the same batch again changes nothing", async () => {
    const events = Array.from({ length: 50 }, () => ({ identifier: id(), meter: meter.code, customer: customer.id, properties: { tokens: 1 } }));
    expect(await sendBatch(key, events)).toMatchObject({ accepted: 50, duplicates: 0, rejected: [] });
    expect(await sendBatch(key, events)).toMatchObject({ accepted: 0, duplicates: 50, rejected: [] });
    const entries = await (await getDb()).select().from(auditLog).where(eq(auditLog.action, "usage_events.ingested"));
    expect(entries.some((e) => (e.after as { accepted: number }).accepted === 50)).toBe(true);
  });

  it("takes at most 1,000 events", async () => {
    const events = Array.from({ length: 1001 }, () => ({ identifier: id(), meter: meter.code, customer: customer.id, properties: { tokens: 1 } }));
    expect(await refusedWith(postBatch, key, 422, { path: "/usage_events/batch", body: { events } })).toMatchObject({ param: "events" });
  });
});

describe("storage", () => {
  it("each event lands in its month's partition on PostgreSQL (one plain table on PGlite)", async () => {
    const db = await getDb();
    const [kind] = await queryRows<{ relkind: string }>(db, sql`select relkind from pg_class where oid = 'usage_events'::regclass`);
    const identifiers = [id(), id()];
    // Two sides of a month boundary: both inside the late window, so both accepted.
    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const before = new Date(Math.max(monthStart.getTime() - 60_000, now.getTime() - 6 * 86_400_000));
    const after = new Date(Math.min(monthStart.getTime() + 60_000, now.getTime()));
    await sendBatch(key, [
      { identifier: identifiers[0], meter: meter.code, customer: customer.id, timestamp: before.toISOString(), properties: { tokens: 1 } },
      { identifier: identifiers[1], meter: meter.code, customer: customer.id, timestamp: after.toISOString(), properties: { tokens: 1 } },
    ]);
    const rows = await queryRows<{ part: string; ts: string }>(db, sql`select tableoid::regclass::text as part, "timestamp" as ts from usage_events where identifier = any(${sql.param(identifiers)}::text[]) order by "timestamp"`);
    const month = (d: Date) => `usage_events_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
    if (process.env.DATABASE_URL) {
      expect(kind?.relkind).toBe("p");
      expect(rows.map((r) => r.part)).toEqual([month(before), month(after)]);
    } else {
      expect(kind?.relkind).toBe("r");
      expect(rows.map((r) => r.part)).toEqual(["usage_events", "usage_events"]);
    }
  });

  it("a month without a partition gets one before its first event", async () => {
    const db = await getDb();
    const clock = await answer<Json>(postClock, key, 200, { path: "/test_clocks", body: { frozen_time: "2031-06-15T00:00:00Z" } });
    const far = await makeApiCustomer(key, { test_clock: clock.id });
    const partition = () => queryRows<{ name: string | null }>(db, sql`select to_regclass('usage_events_2031_06')::text as name`);
    if (process.env.DATABASE_URL) expect((await partition())[0]?.name).toBeNull();
    const event = await sendEvent(key, { identifier: id(), meter: meter.code, customer: far.id, timestamp: "2031-06-14T23:00:00Z", properties: { tokens: 1 } });
    const [row] = await queryRows<{ part: string }>(db, sql`select tableoid::regclass::text as part from usage_events where id = ${event.id}`);
    expect(row?.part).toBe(process.env.DATABASE_URL ? "usage_events_2031_06" : "usage_events");
  });

  it("usage events are append-only", async () => {
    const db = await getDb();
    const error = await db.execute(sql`update usage_events set late = true where customer_id = ${customer.id}`).then(
      () => null,
      (e: unknown) => e as { cause?: unknown },
    );
    expect(String(error?.cause)).toMatch(/usage_events is append-only/);
  });
});
