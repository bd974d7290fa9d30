import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { getDb, queryRows } from "@/db/client";
import { auditLog } from "@/db/schema";
import { customerTimeline } from "@/db/queries/customer-timeline";
import { auditRow } from "@/lib/audit/record";
import { customerRollupFingerprints, insertUsageEvents, usageFromEvents, usageFromRollups, type MeterRow } from "@/db/queries/usage";
import { decodeUsageCursor, encodeUsageCursor, searchUsageEvents } from "@/db/queries/usage-admin";
import { systemActor } from "@/lib/actor";
import { newId, randomToken } from "@/lib/ids";
import type { ServiceContext } from "@/lib/services/context";
import { createMeter } from "@/lib/services/usage/create-meter";
import { ingestUsageEvents, type UsageEventInput } from "@/lib/services/usage/ingest-usage-events";
import { reaggregateCustomerUsage } from "@/lib/services/usage/reaggregate-customer";
import { makeCustomer } from "../factories";
import { formatterFor } from "@/lib/format";

const fmt = formatterFor({ locale: "en-AU" });

const NOW = new Date("2027-06-10T00:00:00Z");
const HOUR = 3_600_000;
const at = (hoursAgo: number, minute = 0) => new Date(NOW.getTime() - hoursAgo * HOUR + minute * 60_000);

let ctx: ServiceContext;
let meters: MeterRow[];
let sumMeter: MeterRow;
let customerA: string;
let customerB: string;
const tag = randomToken(6).toLowerCase();

async function ingestFor(customerId: string, prefix: string) {
  const inputs: UsageEventInput[] = [];
  for (let i = 0; i < 30; i++) {
    const timestamp = at(2 + ((i * 5) % 60), (i * 13) % 60);
    const properties = { tokens: (i % 7) + 0.25 * (i % 3), user: `user-${i % 4}`, region: i % 3 === 0 ? "nz" : "au", model: i % 2 === 0 ? "Large-Model" : "small" };
    for (const m of meters) inputs.push({ identifier: `${prefix}-${m.code}-${i}`, meter: m.code, customer: customerId, timestamp, properties });
  }
  const outcomes = await ingestUsageEvents(ctx, inputs);
  expect(outcomes.filter((o) => o.status !== "accepted")).toEqual([]);
}

/** Every meter's total over the window, from the rollups and from the raw events. */
async function totals(customerId: string) {
  const from = at(72);
  const to = NOW;
  return Promise.all(
    meters.map(async (m) => {
      const range = { meterId: m.id, customerId, from, to };
      const [rolled, raw] = await Promise.all([usageFromRollups(ctx.db, range, "day"), usageFromEvents(ctx.db, range, "day")]);
      return { meter: `${m.name} v${m.version}`, rolled: rolled.map((b) => [b.start.toISOString(), b.value]), raw: raw.map((b) => [b.start.toISOString(), b.value]) };
    }),
  );
}

beforeAll(async () => {
  ctx = { db: await getDb(), actor: systemActor("reaggregate-test"), now: NOW };
  const code = (name: string) => `ra_${name}_${tag}`;
  const sumV1 = await createMeter(ctx, { code: code("tokens"), name: "Tokens", aggregation: "sum", valueProperty: "tokens" });
  meters = await Promise.all([
    createMeter(ctx, { code: code("calls"), name: "Calls", aggregation: "count" }),
    createMeter(ctx, { code: code("peak"), name: "Peak", aggregation: "max", valueProperty: "tokens" }),
    createMeter(ctx, { code: code("users"), name: "Users", aggregation: "unique_count", uniqueProperty: "user" }),
    createMeter(ctx, { code: code("last"), name: "Last", aggregation: "last", valueProperty: "tokens" }),
  ]);
  meters.unshift(sumV1);
  customerA = (await makeCustomer(ctx, { card: null })).id;
  customerB = (await makeCustomer(ctx, { card: null })).id;
  await ingestFor(customerA, `a-${tag}`);
  await ingestFor(customerB, `b-${tag}`);
  // A second version of the tokens meter, filtered to one region: both versions keep rollups.
  sumMeter = await createMeter(ctx, { code: code("tokens"), name: "Tokens (AU)", aggregation: "sum", valueProperty: "tokens", filters: { region: ["au"] } });
  meters.push(sumMeter);
});

describe("reaggregateCustomerUsage", () => {
  it("leaves correct rollups exactly as they were, and says nothing needed repair", async () => {
    const before = await customerRollupFingerprints(ctx.db, false, customerA);
    const totalsBefore = await totals(customerA);
    expect(before.size).toBeGreaterThan(30);

    const result = await reaggregateCustomerUsage(ctx, customerA);
    expect(result).toMatchObject({ customer: customerA, rows: before.size, changed: 0, added: 0, removed: 0 });
    expect(result.meterCodes).toBeGreaterThanOrEqual(5);
    expect(await customerRollupFingerprints(ctx.db, false, customerA)).toEqual(before);
    const totalsAfter = await totals(customerA);
    expect(totalsAfter).toEqual(totalsBefore);
    for (const t of totalsAfter) expect(t.rolled).toEqual(t.raw);
  });

  it("repairs a corrupted, a missing and an extra rollup row, and leaves other customers alone", async () => {
    const db = ctx.db;
    const good = await customerRollupFingerprints(db, false, customerA);
    const otherBefore = await customerRollupFingerprints(db, false, customerB);
    const [victim] = await queryRows<{ hour: string }>(db, sql`select hour from usage_rollups where meter_id = ${sumMeter.id} and customer_id = ${customerA} order by hour limit 1`);
    expect(victim).toBeDefined();
    // Corrupt one row, lose another, invent a third, and drop a unique_count value.
    await db.execute(sql`update usage_rollups set event_count = event_count + 5, value_sum = value_sum + 100 where meter_id = ${sumMeter.id} and customer_id = ${customerA} and hour = ${victim!.hour}`);
    await db.execute(sql`delete from usage_rollups where meter_id = ${meters[1]!.id} and customer_id = ${customerA} and hour = (select max(hour) from usage_rollups where meter_id = ${meters[1]!.id} and customer_id = ${customerA})`);
    await db.execute(sql`insert into usage_rollups (meter_id, customer_id, hour, event_count, value_sum, value_max) values (${meters[0]!.id}, ${customerA}, ${at(200).toISOString()}::timestamptz, 3, 42, 40)`);
    await db.execute(sql`delete from usage_rollup_values where ctid = (select ctid from usage_rollup_values where meter_id = ${meters[3]!.id} and customer_id = ${customerA} limit 1)`);
    const broken = await totals(customerA);
    expect(broken.some((t) => JSON.stringify(t.rolled) !== JSON.stringify(t.raw))).toBe(true);

    const result = await reaggregateCustomerUsage(ctx, customerA);
    expect(result).toMatchObject({ changed: 1, rows: good.size });
    expect(result.added).toBe(2); // the lost rollup row and the lost unique value
    expect(result.removed).toBe(1);
    expect(await customerRollupFingerprints(db, false, customerA)).toEqual(good);
    for (const t of await totals(customerA)) expect(t.rolled).toEqual(t.raw);
    expect(await customerRollupFingerprints(db, false, customerB)).toEqual(otherBefore);

    const audit = await db.select().from(auditLog).where(and(eq(auditLog.entityId, customerA), eq(auditLog.action, "customer.usage_reaggregated")));
    expect(audit.map((a) => a.after)).toContainEqual(expect.objectContaining({ changed: 1, added: 2, removed: 1 }));
    // The rebuild shows in the customer's timeline, as does the daily usage.
    const { entries } = await customerTimeline(db, { customerId: customerA, limit: 100, fmt });
    expect(entries.find((e) => e.action === "customer.usage_reaggregated")?.summary).toBe("Usage rollups rebuilt from the raw events: 4 rows repaired");
    const usage = entries.filter((e) => e.kind === "usage");
    expect(usage.length).toBeGreaterThan(0);
    expect(usage.map((e) => e.summary)).toContainEqual(expect.stringMatching(/^Usage of Calls on \d+ June? 2027: \d+ events?$/));
  });

  it("refuses an unknown customer", async () => {
    await expect(reaggregateCustomerUsage(ctx, "cus_missing")).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("searchUsageEvents", () => {
  it("finds a customer's events by identifier, meter code or property text, in any case, newest first", async () => {
    const db = ctx.db;
    const all = await searchUsageEvents(db, { customerId: customerA, limit: 100 });
    expect(all.events).toHaveLength(100);
    const byId = await searchUsageEvents(db, { customerId: customerA, q: `A-${tag}-${meters[1]!.code}-1`.toUpperCase(), limit: 100 });
    // -1, -10 … -19
    expect(byId.events.map((e) => e.identifier).sort()).toEqual([1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map((i) => `a-${tag}-${meters[1]!.code}-${i}`).sort());
    const byMeter = await searchUsageEvents(db, { customerId: customerA, q: meters[2]!.code, limit: 100 });
    expect(byMeter.events).toHaveLength(30);
    expect(new Set(byMeter.events.map((e) => e.meterCode))).toEqual(new Set([meters[2]!.code]));
    const byProperty = await searchUsageEvents(db, { customerId: customerA, q: "large-model", meterCode: meters[0]!.code, limit: 100 });
    expect(byProperty.events).toHaveLength(15);
    expect(byProperty.events.every((e) => e.properties.model === "Large-Model")).toBe(true);
    const times = byProperty.events.map((e) => e.timestamp.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // LIKE's wildcards are searched for as themselves; another customer's events never show.
    expect((await searchUsageEvents(db, { customerId: customerA, q: "%" })).events).toEqual([]);
    expect((await searchUsageEvents(db, { customerId: customerA, q: "b-" + tag })).events).toEqual([]);
  });

  it("pages through every match once, and marks late events", async () => {
    const db = ctx.db;
    const late = { id: newId("usageEvent"), identifier: `late-${tag}`, meterCode: meters[0]!.code, customerId: customerA, timestamp: at(30), properties: { tokens: 1 }, late: true, livemode: false };
    const audit = auditRow(systemActor("test"), { action: "usage_events.ingested", entityType: "usage_events", entityId: "usage_events", after: null }, NOW);
    await insertUsageEvents(db, [late], NOW, { at: NOW, livemode: false, duplicates: 0, rejected: {} }, { row: audit, rejected: 0 });
    const lateOnly = await searchUsageEvents(db, { customerId: customerA, lateOnly: true });
    expect(lateOnly.events.map((e) => [e.identifier, e.late])).toEqual([[late.identifier, true]]);

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = await searchUsageEvents(db, { customerId: customerA, meterCode: meters[0]!.code, after, limit: 7 });
      seen.push(...page.events.map((e) => e.id));
      after = page.nextCursor;
      pages += 1;
    } while (after && pages < 20);
    expect(seen).toHaveLength(31);
    expect(new Set(seen).size).toBe(31);
    expect(pages).toBe(5);
    // A tampered cursor is ignored (the first page), a well-formed one round-trips.
    expect(decodeUsageCursor("not-a-cursor")).toBeNull();
    const cursor = { at: "2027-06-09T10:00:00.000Z", id: "ue_abc123" };
    expect(decodeUsageCursor(encodeUsageCursor(cursor))).toEqual(cursor);
    const first = await searchUsageEvents(db, { customerId: customerA, limit: 3 });
    expect((await searchUsageEvents(db, { customerId: customerA, after: "garbage", limit: 3 })).events).toEqual(first.events);
  });
});
