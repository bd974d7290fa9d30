import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { getDb } from "@/db/client";
import { costGroupings, costPieces, type CostGrouping } from "@/db/queries/api-costs";
import { systemActor } from "@/lib/actor";
import { randomToken } from "@/lib/ids";
import { addDecimal, formatDecimal, multiplyDecimals, parseDecimal, ZERO_DECIMAL, type ExactDecimal } from "@/lib/money";
import type { ServiceContext } from "@/lib/services/context";
import { createCostProvider } from "@/lib/services/api-costs/providers";
import { recordApiCosts, type ApiCostInput } from "@/lib/services/api-costs/record-api-costs";
import { makeCustomer } from "../factories";

/**
 * Cost rollups equal the raw costs and a model: random costs (regions with and without their own
 * rate, customers or none, given costs in another currency, decimals, retried identifiers, busy
 * hours) recorded in random batches; for random ranges (partial hours at either end) and every
 * grouping, the pieces read from the rollups equal those read from the raw costs, and their sums
 * equal the model's exact decimals.
 */
const NOW = new Date("2027-06-10T00:00:00Z");
const WINDOW_MS = 3 * 86_400_000;
const START = NOW.getTime() - WINDOW_MS;
const RATES: Record<string, string> = { "": "0.000015", AU: "0.45" };

interface GenCost {
  n: number;
  offset: number;
  thousandths: number;
  operation: "lookup" | "prompt";
  region: "" | "AU" | "US";
  customer: 0 | 1 | 2;
  /** A cost given in NZD (no rate involved). */
  given: number | null;
}

const genCost = fc.record({
  offset: fc
    .tuple(fc.integer({ min: 0, max: 7 }), fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3_599_999 })))
    .map(([h, ms]) => h * 9 * 3_600_000 + ms),
  thousandths: fc.integer({ min: 0, max: 5_000_000 }),
  operation: fc.constantFrom("lookup" as const, "prompt" as const),
  region: fc.constantFrom("" as const, "AU" as const, "US" as const),
  customer: fc.constantFrom(0 as const, 1 as const, 2 as const),
  given: fc.option(fc.integer({ min: 0, max: 100_000 }), { freq: 4 }),
});

const genCase = fc
  .record({
    costs: fc.array(genCost, { minLength: 1, maxLength: 40 }),
    repeats: fc.array(fc.nat(), { maxLength: 10 }),
    batchSize: fc.integer({ min: 1, max: 25 }),
    ranges: fc.array(fc.tuple(fc.integer({ min: -3_600_000, max: WINDOW_MS + 3_600_000 }), fc.integer({ min: 1, max: WINDOW_MS })), { minLength: 1, maxLength: 3 }),
  })
  .map((c) => ({ ...c, costs: c.costs.map((e, n): GenCost => ({ ...e, n })) }));

const units = (c: GenCost) => parseDecimal((c.thousandths / 1000).toFixed(3));

let ctx: ServiceContext;
let customers: string[];

beforeAll(async () => {
  ctx = { db: await getDb(), actor: systemActor("property"), now: NOW };
  customers = [(await makeCustomer(ctx, { card: null })).id, (await makeCustomer(ctx, { card: null })).id];
});

function key(c: GenCost, groupBy: CostGrouping, provider: string): string | null {
  switch (groupBy) {
    case "provider":
      return provider;
    case "region":
      return c.region || null;
    case "operation":
      return c.operation;
    case "customer":
      return c.customer === 0 ? null : (customers[c.customer - 1] ?? null);
    case "day":
      return new Date(START + c.offset).toISOString().slice(0, 10);
  }
}

/** The truth per (key, currency): exact units and cost. */
function model(costs: GenCost[], groupBy: CostGrouping, provider: string, from: number, to: number): Map<string, { units: string; cost: string; count: number }> {
  const sums = new Map<string, { units: ExactDecimal; cost: ExactDecimal; count: number }>();
  for (const c of costs) {
    const at = START + c.offset;
    if (at < from || at >= to) continue;
    const currency = c.given === null ? "usd" : "nzd";
    const cost = c.given === null ? multiplyDecimals(units(c), parseDecimal(RATES[c.region === "AU" ? "AU" : ""]!)) : parseDecimal(String(c.given));
    const k = `${key(c, groupBy, provider)}|${currency}`;
    const s = sums.get(k) ?? { units: ZERO_DECIMAL, cost: ZERO_DECIMAL, count: 0 };
    sums.set(k, { units: addDecimal(s.units, units(c)), cost: addDecimal(s.cost, cost), count: s.count + 1 });
  }
  return new Map([...sums].map(([k, s]) => [k, { units: formatDecimal(s.units), cost: formatDecimal(s.cost), count: s.count }]));
}

async function byKey(provider: string, groupBy: CostGrouping, from: Date, to: Date, fromRollups: boolean) {
  const pieces = await costPieces(ctx.db, { livemode: false, from, to, groupBy, provider }, fromRollups);
  const sums = new Map<string, { units: ExactDecimal; cost: ExactDecimal; count: number }>();
  for (const p of pieces) {
    const k = `${p.key}|${p.currency}`;
    const s = sums.get(k) ?? { units: ZERO_DECIMAL, cost: ZERO_DECIMAL, count: 0 };
    sums.set(k, { units: addDecimal(s.units, parseDecimal(p.units)), cost: addDecimal(s.cost, parseDecimal(p.cost)), count: s.count + p.count });
  }
  return { pieces, sums: new Map([...sums].map(([k, s]) => [k, { units: formatDecimal(s.units), cost: formatDecimal(s.cost), count: s.count }])) };
}

describe("API cost rollups", () => {
  it("equal the raw costs and the exact model, for every grouping and range, with retries", async () => {
    await fc.assert(
      fc.asyncProperty(genCase, async (c) => {
        const provider = `prop_${randomToken(8).toLowerCase()}`;
        await createCostProvider(ctx, {
          code: provider,
          name: "Prop",
          rates: ["lookup", "prompt"].flatMap((operation) => [
            { operation, unit: "unit", unitCostDecimal: RATES[""]!, currency: "usd", effectiveFrom: new Date("2027-01-01Z") },
            { operation, region: "AU", unit: "unit", unitCostDecimal: RATES.AU!, currency: "usd", effectiveFrom: new Date("2027-01-01Z") },
          ]),
        });
        const order = [...c.costs.map((e) => e.n), ...c.repeats.map((r) => r % c.costs.length)];
        const inputs = order.map((i): ApiCostInput => {
          const e = c.costs[i]!;
          return {
            identifier: `${provider}-${e.n}`,
            provider,
            operation: e.operation,
            region: e.region || null,
            units: e.n % 2 === 0 ? e.thousandths / 1000 : (e.thousandths / 1000).toFixed(3),
            costDecimal: e.given === null ? undefined : String(e.given),
            currency: e.given === null ? undefined : "nzd",
            customer: e.customer === 0 ? undefined : customers[e.customer - 1],
            timestamp: new Date(START + e.offset),
          };
        });
        let accepted = 0;
        for (let i = 0; i < inputs.length; i += c.batchSize) {
          const outcomes = await recordApiCosts(ctx, inputs.slice(i, i + c.batchSize));
          expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
          accepted += outcomes.filter((o) => o.status === "accepted").length;
        }
        expect(accepted).toBe(c.costs.length);
        for (const [start, length] of c.ranges) {
          const from = new Date(START + start);
          const to = new Date(START + start + length);
          for (const groupBy of costGroupings) {
            const rolled = await byKey(provider, groupBy, from, to, true);
            const raw = await byKey(provider, groupBy, from, to, false);
            const truth = model(c.costs, groupBy, provider, from.getTime(), to.getTime());
            expect(rolled.pieces).toEqual(raw.pieces);
            expect(Object.fromEntries(rolled.sums)).toEqual(Object.fromEntries(truth));
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
