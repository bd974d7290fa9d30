import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { getDb } from "@/db/client";
import { usageFromEvents, usageFromRollups, type MeterRow } from "@/db/queries/usage";
import { systemActor } from "@/lib/actor";
import { randomToken } from "@/lib/ids";
import type { ServiceContext } from "@/lib/services/context";
import { createMeter } from "@/lib/services/usage/create-meter";
import { ingestUsageEvents, type UsageEventInput } from "@/lib/services/usage/ingest-usage-events";
import { makeCustomer } from "../factories";

/**
 * Rollups equal raw aggregates: random event sets (with retried duplicates, several events in one
 * hour, values with decimals, unique keys repeating) are ingested in random batches; for random
 * ranges, the rollup-based aggregate, the raw-SQL aggregate and a model computed here agree for
 * every aggregation, and ingesting the same events in another order gives the same numbers.
 */
const NOW = new Date("2027-06-10T00:00:00Z");
const WINDOW_MS = 3 * 86_400_000;
const START = NOW.getTime() - WINDOW_MS;

interface GenEvent {
  n: number;
  /** Milliseconds after START. */
  offset: number;
  hundredths: number;
  user: string;
  region: string;
}

const genEvent = fc.record({
  // Eight busy hours across the window, so hours get events from several batches; some exactly on the hour.
  offset: fc
    .tuple(fc.integer({ min: 0, max: 7 }), fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3_599_999 })))
    .map(([h, ms]) => h * 9 * 3_600_000 + ms),
  hundredths: fc.integer({ min: 0, max: 100_000 }),
  user: fc.constantFrom("ann", "bob", "cy", "di", "ed"),
  region: fc.constantFrom("au", "nz", "uk"),
});

const genCase = fc
  .record({
    events: fc.array(genEvent, { minLength: 1, maxLength: 40 }),
    repeats: fc.array(fc.nat(), { maxLength: 10 }),
    batchSize: fc.integer({ min: 1, max: 25 }),
    ranges: fc.array(fc.tuple(fc.integer({ min: -3_600_000, max: WINDOW_MS + 3_600_000 }), fc.integer({ min: 1, max: WINDOW_MS })), { minLength: 1, maxLength: 4 }),
    seed: fc.integer(),
  })
  .map((c) => ({ ...c, events: c.events.map((e, n): GenEvent => ({ ...e, n })) }));

const decimal = (hundredths: number) => (hundredths % 100 === 0 ? String(hundredths / 100) : (hundredths / 100).toFixed(2).replace(/0$/, ""));

/** The truth, from the events themselves. */
function model(meter: MeterRow, events: GenEvent[], from: number, to: number): string {
  const counted = events.filter((e) => START + e.offset >= from && START + e.offset < to && (meter.filters.region ?? [e.region]).includes(e.region));
  switch (meter.aggregation) {
    case "sum":
      return decimal(counted.reduce((s, e) => s + e.hundredths, 0));
    case "count":
      return String(counted.length);
    case "max":
      return counted.length === 0 ? "0" : decimal(Math.max(...counted.map((e) => e.hundredths)));
    case "unique_count":
      return String(new Set(counted.map((e) => e.user)).size);
    case "last": {
      const last = [...counted].sort((a, b) => b.offset - a.offset || (identifier(b) < identifier(a) ? -1 : 1))[0];
      return last ? decimal(last.hundredths) : "0";
    }
  }
}

const identifier = (e: GenEvent, prefix = "") => `${prefix}e${String(e.n).padStart(3, "0")}`;

let ctx: ServiceContext;
let meters: MeterRow[];

beforeAll(async () => {
  ctx = { db: await getDb(), actor: systemActor("property"), now: NOW };
  const code = () => `prop_${randomToken(8).toLowerCase()}`;
  meters = await Promise.all([
    createMeter(ctx, { code: code(), name: "sum", aggregation: "sum", valueProperty: "tokens" }),
    createMeter(ctx, { code: code(), name: "sum au", aggregation: "sum", valueProperty: "tokens", filters: { region: ["au", "nz"] } }),
    createMeter(ctx, { code: code(), name: "count", aggregation: "count" }),
    createMeter(ctx, { code: code(), name: "max", aggregation: "max", valueProperty: "tokens" }),
    createMeter(ctx, { code: code(), name: "users", aggregation: "unique_count", uniqueProperty: "user" }),
    createMeter(ctx, { code: code(), name: "last", aggregation: "last", valueProperty: "tokens" }),
  ]);
});

async function ingest(events: GenEvent[], order: number[], batchSize: number): Promise<string> {
  const customer = await makeCustomer(ctx, { card: null });
  // Identifiers are unique per mode, so each customer's copy of the set carries its own prefix.
  const prefix = `${customer.id}-`;
  const inputs = order.flatMap((i) => {
    const e = events[i];
    if (!e) return [];
    // Values alternate between JSON numbers and decimal strings.
    const tokens = e.n % 2 === 0 ? e.hundredths / 100 : decimal(e.hundredths);
    return meters.map(
      (m): UsageEventInput => ({ identifier: `${m.code}-${identifier(e, prefix)}`, meter: m.code, customer: customer.id, timestamp: new Date(START + e.offset), properties: { tokens, user: e.user, region: e.region } }),
    );
  });
  for (let i = 0; i < inputs.length; i += batchSize * meters.length) {
    const outcomes = await ingestUsageEvents(ctx, inputs.slice(i, i + batchSize * meters.length));
    expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
  }
  return customer.id;
}

function shuffled(xs: number[], seed: number): number[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("usage rollups", () => {
  it("equal the raw aggregates and the truth, whatever the ranges, duplicates and ingest order", async () => {
    await fc.assert(
      fc.asyncProperty(genCase, async (c) => {
        // Each event once, then retries of some of them (exact repeats, as a client's retry is).
        const order = [...c.events.map((e) => e.n), ...c.repeats.map((r) => r % c.events.length)];
        const first = await ingest(c.events, order, c.batchSize);
        const second = await ingest(c.events, shuffled(order, c.seed), Math.max(1, 26 - c.batchSize));
        for (const [start, length] of c.ranges) {
          const from = new Date(START + start);
          const to = new Date(START + start + length);
          for (const meter of meters) {
            const truth = model(meter, c.events, from.getTime(), to.getTime());
            for (const customerId of [first, second]) {
              const range = { meterId: meter.id, customerId, from, to };
              const [rolled] = await usageFromRollups(ctx.db, range, null);
              const [raw] = await usageFromEvents(ctx.db, range, null);
              expect({ meter: meter.name, rolled: rolled?.value ?? "0", raw: raw?.value ?? "0" }).toEqual({ meter: meter.name, rolled: truth, raw: truth });
            }
            const byDay = await usageFromRollups(ctx.db, { meterId: meter.id, customerId: first, from, to }, "day");
            expect(byDay).toEqual(await usageFromEvents(ctx.db, { meterId: meter.id, customerId: first, from, to }, "day"));
          }
        }
      }),
      // Each run writes to the database: shrinking a failure would outlast the test's time limit, so
      // the first counterexample is reported as found.
      { numRuns: 25, endOnFailure: true },
    );
  });
});
