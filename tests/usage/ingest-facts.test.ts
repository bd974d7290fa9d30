import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb, queryRows } from "@/db/client";
import { auditLog, customers, testClocks } from "@/db/schema";
import { ingestLookups, insertUsageEvents, type MeterRow } from "@/db/queries/usage";
import { auditRow } from "@/lib/audit/record";
import { systemActor } from "@/lib/actor";
import { newId, randomToken } from "@/lib/ids";
import type { ServiceContext } from "@/lib/services/context";
import { createMeter } from "@/lib/services/usage/create-meter";
import { recallFacts } from "@/lib/services/usage/ingest-facts";
import { ingestUsageEvents, type UsageEventInput } from "@/lib/services/usage/ingest-usage-events";
import { makeCustomer, makeTestClock } from "../factories";

// Usage ingest judges events from remembered facts (no lookup round trip) and stores them only
// while the database still says the same; these tests change a fact between two calls and check
// that the second call is judged by the new one, and that a refused guard writes nothing.

const NOW = new Date("2027-08-10T12:00:00Z");
const tag = randomToken(6).toLowerCase();
let ctx: ServiceContext;
let n = 0;
const event = (meter: string, customer: { customer?: string; customerExternalId?: string }, properties: UsageEventInput["properties"]): UsageEventInput => ({
  identifier: `facts-${tag}-${(n += 1)}`,
  meter,
  ...customer,
  timestamp: new Date(NOW.getTime() - 60_000),
  properties,
});

beforeAll(async () => {
  ctx = { db: await getDb(), actor: systemActor("ingest-facts-test"), now: NOW };
});

describe("usage ingest from remembered facts", () => {
  it("a second event for the same customer and meter is judged from memory", async () => {
    const meter = await createMeter(ctx, { code: `facts_a_${tag}`, name: "Tokens", aggregation: "sum", valueProperty: "tokens" });
    const customer = await makeCustomer(ctx, { card: null });
    const [first] = await ingestUsageEvents(ctx, [event(meter.code, { customer: customer.id }, { tokens: 1 })]);
    expect(first?.status).toBe("accepted");
    expect(recallFacts(ctx.db, false, [{ customer: customer.id, meter: meter.code }])?.meters.get(meter.code)?.id).toBe(meter.id);
    const retried = event(meter.code, { customer: customer.id }, { tokens: 2 });
    const [second] = await ingestUsageEvents(ctx, [retried]);
    expect(second?.status).toBe("accepted");
    // Its retry is a duplicate answered with the stored event, read by the storing statement itself.
    const [again] = await ingestUsageEvents(ctx, [{ ...retried, properties: { tokens: 99 } }]);
    expect(again).toEqual({ status: "duplicate", identifier: retried.identifier, stored: expect.objectContaining({ identifier: retried.identifier, customerId: customer.id, properties: { tokens: 2 }, createdAt: NOW }) });
  });

  it("a new meter version made after the facts were remembered decides the next event", async () => {
    const code = `facts_b_${tag}`;
    await createMeter(ctx, { code, name: "Tokens", aggregation: "sum", valueProperty: "tokens" });
    const customer = await makeCustomer(ctx, { card: null });
    expect((await ingestUsageEvents(ctx, [event(code, { customer: customer.id }, { tokens: 1 })]))[0]?.status).toBe("accepted");
    // The remembered version reads `tokens`; the new one reads `calls`, so this event has no value.
    const v2: MeterRow = await createMeter(ctx, { code, name: "Calls", aggregation: "sum", valueProperty: "calls" });
    const [outcome] = await ingestUsageEvents(ctx, [event(code, { customer: customer.id }, { tokens: 5 })]);
    expect(outcome).toMatchObject({ status: "rejected", problem: { param: "properties.calls" } });
    const [accepted] = await ingestUsageEvents(ctx, [event(code, { customer: customer.id }, { calls: 5 })]);
    expect(accepted?.status).toBe("accepted");
    expect(recallFacts(ctx.db, false, [{ customer: customer.id, meter: code }])?.meters.get(code)?.id).toBe(v2.id);
  });

  it("an external id moved to another customer is followed", async () => {
    const meter = await createMeter(ctx, { code: `facts_c_${tag}`, name: "Calls", aggregation: "count" });
    const externalId = `facts-ext-${tag}`;
    const a = await makeCustomer(ctx, { card: null });
    await ctx.db.update(customers).set({ externalId }).where(eq(customers.id, a.id));
    const [first] = await ingestUsageEvents(ctx, [event(meter.code, { customerExternalId: externalId }, {})]);
    expect(first).toMatchObject({ status: "accepted", event: { customerId: a.id } });
    await ctx.db.update(customers).set({ externalId: null }).where(eq(customers.id, a.id));
    const b = await makeCustomer(ctx, { card: null });
    await ctx.db.update(customers).set({ externalId }).where(eq(customers.id, b.id));
    const [second] = await ingestUsageEvents(ctx, [event(meter.code, { customerExternalId: externalId }, {})]);
    expect(second).toMatchObject({ status: "accepted", event: { customerId: b.id } });
  });

  it("a customer's clock moved on after the facts were remembered refuses what it now makes too old", async () => {
    const meter = await createMeter(ctx, { code: `facts_d_${tag}`, name: "Calls", aggregation: "count" });
    const clock = await makeTestClock(ctx.db, NOW);
    const customer = await makeCustomer(ctx, { card: null, testClockId: clock });
    const old = (): UsageEventInput => ({ ...event(meter.code, { customer: customer.id }, {}), timestamp: new Date(NOW.getTime() - 3_600_000) });
    expect((await ingestUsageEvents(ctx, [old()]))[0]?.status).toBe("accepted");
    // Thirty days on, the same hour is far past the late window: the remembered clock would accept it.
    await ctx.db.update(testClocks).set({ frozenTime: new Date(NOW.getTime() + 30 * 86_400_000) }).where(eq(testClocks.id, clock));
    const [outcome] = await ingestUsageEvents(ctx, [old()]);
    expect(outcome).toMatchObject({ status: "rejected", problem: { param: "timestamp" } });
  });

  it("a refused guard writes nothing: no event, no identifier, no counts, no audit entry", async () => {
    const meter = await createMeter(ctx, { code: `facts_e_${tag}`, name: "Calls", aggregation: "count" });
    const customer = await makeCustomer(ctx, { card: null });
    const lookups = await ingestLookups(ctx.db, { livemode: false, ids: [customer.id], externalIds: [], codes: [meter.code], settingKey: "usage.late_window_days" });
    // A minute of its own, so the ingest counts read here are this call's alone.
    const at = new Date(`2001-01-01T00:${String(Math.floor(Math.random() * 60)).padStart(2, "0")}:00Z`);
    const requestId = `req_facts_${tag}`;
    const audit = auditRow(systemActor("ingest-facts-test"), { action: "usage_events.ingested", entityType: "usage_events", entityId: requestId, after: null }, at, requestId);
    const row = { id: newId("usageEvent"), identifier: `facts-guard-${tag}`, meterCode: meter.code, customerId: customer.id, timestamp: new Date(NOW.getTime() - 60_000), properties: {}, late: false, livemode: false };
    const tally = { at, livemode: false, duplicates: 0, rejected: {} };
    const stale = { ...lookups.texts, customers: new Map([[customer.id, lookups.texts.customers.get(customer.id)!.replace(customer.id, `${customer.id}x`)]]) };

    expect(await insertUsageEvents(ctx.db, [row], NOW, tally, { row: audit, rejected: 0 }, { facts: { settingKey: "usage.late_window_days", texts: stale } })).toBeNull();
    const written = async () => {
      const [counts] = await queryRows<{ events: number; keys: number; counted: number }>(
        ctx.db,
        sql`select (select count(*)::int from usage_events where identifier = ${row.identifier}) as events,
                   (select count(*)::int from usage_event_identifiers where identifier = ${row.identifier}) as keys,
                   (select coalesce(sum(accepted + duplicates), 0)::int from usage_ingest_counts where minute = ${at.toISOString()}::timestamptz) as counted`,
      );
      const audits = await ctx.db.select().from(auditLog).where(eq(auditLog.entityId, requestId));
      return { ...counts, audits: audits.length };
    };
    expect(await written()).toEqual({ events: 0, keys: 0, counted: 0, audits: 0 });

    // The same call with the facts as they stand stores everything once.
    expect((await insertUsageEvents(ctx.db, [row], NOW, tally, { row: audit, rejected: 0 }, { facts: { settingKey: "usage.late_window_days", texts: lookups.texts } }))).toEqual({ seenBefore: new Set(), duplicates: new Map() });
    expect(await written()).toEqual({ events: 1, keys: 1, counted: 1, audits: 1 });
  });
});
