import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { getDb, queryRows } from "@/db/client";
import { auditLog, meters } from "@/db/schema";
import { buildMeterRollups, lockMeterCodes, usageFromEvents, usageFromRollups } from "@/db/queries/usage";
import { systemActor } from "@/lib/actor";
import { newId, randomToken } from "@/lib/ids";
import { ingestHealth, type IngestHealth } from "@/lib/services/usage/ingest-health";
import { INGESTS_IN_FLIGHT, ingestUsageEvents, recordUsageEvent } from "@/lib/services/usage/ingest-usage-events";
import { newKey } from "../api/support";
import { makeApiCustomer, makeMeter, refuseEvent, sendBatch, sendEvent, type Json } from "./support";

let key: string;
let customer: Json;
let meter: Json & { code: string };
const id = () => `evt-${randomToken(10)}`;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

beforeAll(async () => {
  ({ key } = await newKey());
  customer = await makeApiCustomer(key);
  meter = await makeMeter(key, { aggregation: "sum", value_property: "tokens" });
});

const health = async () => ingestHealth({ db: await getDb() }, { now: new Date() });
/** What happened between two readings (other files may ingest into the same database). */
function delta(before: IngestHealth, after: IngestHealth) {
  const rejections = new Map(before.rejections.map((r) => [r.code, r.count]));
  return {
    accepted: after.accepted - before.accepted,
    duplicates: after.duplicates - before.duplicates,
    rejected: after.rejected - before.rejected,
    byCode: Object.fromEntries(after.rejections.map((r) => [r.code, r.count - (rejections.get(r.code) ?? 0)]).filter(([, n]) => n !== 0)),
  };
}

describe("ingest health counts", () => {
  it("counts every event of every call as accepted, duplicate or rejected by code, per minute", async () => {
    const before = await health();
    const stored = { identifier: id(), meter: meter.code, customer: customer.id, timestamp: minutesAgo(5), properties: { tokens: 1 } };
    await sendEvent(key, stored);
    const again = id();
    const result = await sendBatch(key, [
      { identifier: id(), meter: meter.code, customer: customer.id, timestamp: minutesAgo(4), properties: { tokens: 2 } },
      { identifier: again, meter: meter.code, customer: customer.id, timestamp: minutesAgo(4), properties: { tokens: 3 } },
      { identifier: again, meter: meter.code, customer: customer.id, timestamp: minutesAgo(4), properties: { tokens: 3 } },
      stored,
      { identifier: id(), meter: "no_such_meter", customer: customer.id, properties: { tokens: 1 } },
      { identifier: id(), meter: meter.code, customer: "cus_missing", properties: { tokens: 1 } },
      { identifier: id(), meter: meter.code, customer: customer.id, properties: { tokens: "lots" } },
      { meter: meter.code, customer: customer.id },
    ]);
    expect(result).toMatchObject({ accepted: 2, duplicates: 2 });
    expect(result.rejected.map((r) => r.code).sort()).toEqual(["meter_unknown", "not_found", "usage_value_invalid", "validation_failed"]);
    // A retry answered with the stored event, a refused event alone, and a batch of refused events only.
    await sendEvent(key, stored, 200);
    await refuseEvent(key, { identifier: id(), meter: meter.code, customer: customer.id, timestamp: minutesAgo(-60), properties: { tokens: 1 } });
    await sendBatch(key, [{ identifier: id(), meter: "no_such_meter", customer: customer.id, properties: {} }]);

    const after = await health();
    expect(delta(before, after)).toEqual({
      accepted: 3,
      duplicates: 3,
      rejected: 6,
      byCode: { meter_unknown: 2, not_found: 1, usage_value_invalid: 1, validation_failed: 1, usage_event_in_future: 1 },
    });
    expect(after.perMinute).toHaveLength(60);
    expect(after.received).toBe(after.accepted + after.duplicates + after.rejected);
    expect(after.eventsPerMinute).toBeCloseTo(after.received / 60);
    // The audit entry of the batch carries its counts (written by the same statement).
    const entries = await (await getDb()).select().from(auditLog).where(eq(auditLog.action, "usage_events.ingested"));
    expect(entries.map((e) => e.after)).toContainEqual({ accepted: 2, duplicates: 2, rejected: 3 });
  });

  it("reads minutes from the window only: an hour earlier is outside it, and an empty window reads as zeros", async () => {
    const db = await getDb();
    const at = new Date(Date.UTC(2031, 0, 1, 10, 30, 15));
    const ctx = { db, actor: { type: "api_key" as const, id: "key_health", livemode: true }, now: at };
    await ingestUsageEvents(ctx, [{ identifier: id(), meter: "unknown_live", customer: customer.id, properties: {} }], { malformed: ["validation_failed"] });
    const inWindow = await ingestHealth({ db }, { now: new Date(at.getTime() + 59 * 60_000) });
    expect(inWindow.from.toISOString()).toBe("2031-01-01T10:30:00.000Z");
    expect(inWindow.perMinute.find((m) => m.minute.toISOString() === "2031-01-01T10:30:00.000Z")).toMatchObject({ accepted: 0, duplicates: 0, rejected: 2 });
    expect(inWindow.rejections).toEqual([
      { code: "not_found", count: 1 },
      { code: "validation_failed", count: 1 },
    ]);
    const later = await ingestHealth({ db }, { now: new Date(at.getTime() + 60 * 60_000) });
    expect(later).toMatchObject({ received: 0, accepted: 0, rejected: 0, eventsPerMinute: 0, rejections: [] });
    expect(later.perMinute.every((m) => m.accepted + m.duplicates + m.rejected === 0)).toBe(true);
  });
});

describe("ingest without an explicit transaction", () => {
  it("a meter version created while a batch waits on the code's lock still gets the batch's rollups", async () => {
    const db = await getDb();
    const v1 = await makeMeter(key, { aggregation: "sum", value_property: "tokens" });
    const ctx = { db, actor: systemActor("test"), now: new Date() };
    const events = Array.from({ length: 20 }, (_, n) => ({ identifier: id(), meter: v1.code, customer: customer.id, timestamp: new Date(Date.now() - (n + 1) * 60_000), properties: { tokens: n + 1 } }));
    let v2 = "";
    let ingest: Promise<unknown> = Promise.resolve();
    await db.transaction(async (tx) => {
      // What createMeter does, held open: the exclusive lock, then the new version and its rollups.
      await lockMeterCodes(tx, false, [v1.code], "exclusive");
      ingest = ingestUsageEvents(ctx, events);
      await new Promise((r) => setTimeout(r, 300));
      await tx.update(meters).set({ active: false }).where(and(eq(meters.code, v1.code), eq(meters.livemode, false)));
      v2 = newId("meter");
      await tx.insert(meters).values({ id: v2, code: v1.code, version: 2, active: true, name: "v2", aggregation: "sum", valueProperty: "tokens", livemode: false, createdAt: ctx.now });
      await buildMeterRollups(tx, v2);
    });
    await ingest;
    const range = { meterId: v2, customerId: customer.id, from: new Date(Date.now() - 2 * 3_600_000), to: new Date(Date.now() + 3_600_000) };
    expect(await usageFromRollups(db, range, null)).toEqual(await usageFromEvents(db, range, null));
    const [row] = await queryRows<{ total: string }>(db, sql`select sum(value_sum)::text as total from usage_rollups where meter_id = ${v2}`);
    expect(row?.total).toBe("210");
  });
});

describe("single events sent at once", () => {
  it("go in together with their own outcomes: each stored once, a repeat answered with the stored event", async () => {
    const db = await getDb();
    const actor = { type: "api_key" as const, id: "key_together", livemode: false };
    const inputs = Array.from({ length: 30 }, (_, n) => ({ identifier: `together-${randomToken(6)}-${n}`, meter: meter.code, customer: customer.id as string, timestamp: new Date(Date.now() - 180_000), properties: { tokens: n } }));
    const sent = [...inputs, ...inputs.slice(0, 5), { ...inputs[0]!, meter: "no_such_meter", identifier: `together-${randomToken(6)}` }];
    const results = await Promise.all(sent.map((input, n) => recordUsageEvent({ db, actor, now: new Date(), requestId: `req_together_${n}` }, input)));
    expect(results.at(-1)).toMatchObject({ problem: { code: "meter_unknown" } });
    for (const input of inputs) {
      const mine = results.flatMap((r) => ("event" in r && r.event.identifier === input.identifier ? [r] : []));
      expect(mine.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(mine.map((r) => r.event.id)).size).toBe(1);
    }
    const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from usage_events where identifier = any(${sql.param(inputs.map((i) => i.identifier))}::text[])`);
    expect(row?.n).toBe(30);
    // At most INGESTS_IN_FLIGHT ingests start at once; the rest wait and go in as one more.
    const [calls] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_log where action = 'usage_events.ingested' and request_id like 'req_together_%'`);
    expect(calls?.n).toBeGreaterThan(0);
    expect(calls?.n).toBeLessThanOrEqual(INGESTS_IN_FLIGHT + 1);
  });
});
