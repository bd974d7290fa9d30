import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, queryRows, type Db } from "@/db/client";
import { API_COST_SOURCE_COLUMNS, apiCostInsert, ensureApiCostPartitions } from "@/db/queries/api-costs";
import { systemActor } from "@/lib/actor";
import { randomToken } from "@/lib/ids";
import { formatDecimal, roundDecimal } from "@/lib/money";
import type { ServiceContext } from "@/lib/services/context";
import { createCostProvider, updateCostProvider } from "@/lib/services/api-costs/providers";
import { recordApiCosts, type ApiCostInput } from "@/lib/services/api-costs/record-api-costs";
import { convertAmounts, recordFxRate } from "@/lib/services/api-costs/fx";
import { costSummary } from "@/lib/services/api-costs/summary";
import { setSetting } from "@/lib/services/settings/settings";

const NOW = new Date("2027-03-20T18:00:00Z");
let db: Db;
let ctx: ServiceContext;
const code = (p: string) => `${p}_${randomToken(6).toLowerCase()}`;

beforeAll(async () => {
  db = await getDb();
  ctx = { db, actor: systemActor("test"), now: NOW };
  await setSetting(ctx, "usage.late_window_days", 30);
});

const accepted = async (inputs: ApiCostInput[]) => {
  const outcomes = await recordApiCosts(ctx, inputs);
  expect(outcomes.filter((o) => o.status !== "accepted")).toEqual([]);
};

describe("rates with effective dates", () => {
  it("a rate change mid-month prices each cost at the rate of its own time, and the month's total splits accordingly", async () => {
    const provider = code("geo");
    const { provider: row } = await createCostProvider(ctx, {
      code: provider,
      name: "Geo",
      rates: [{ operation: "lookup", unit: "lookup", unitCostDecimal: "0.5", currency: "aud", effectiveFrom: new Date("2027-03-01T00:00:00Z") }],
    });
    // Added later, effective from the 15th: history is kept, the old rate still prices 1–14 March.
    await updateCostProvider(ctx, row.id, { rate: { operation: "lookup", unit: "lookup", unitCostDecimal: "0.8", currency: "aud", effectiveFrom: new Date("2027-03-15T00:00:00Z") } });
    const inputs: ApiCostInput[] = [];
    for (let day = 1; day <= 20; day += 1) {
      inputs.push({ identifier: `${provider}-${day}`, provider, operation: "lookup", units: 10, timestamp: new Date(Date.UTC(2027, 2, day, 12)) });
    }
    inputs.push({ identifier: `${provider}-before`, provider, operation: "lookup", units: 1, timestamp: new Date("2027-03-14T23:59:59.999Z") });
    inputs.push({ identifier: `${provider}-at`, provider, operation: "lookup", units: 1, timestamp: new Date("2027-03-15T00:00:00.000Z") });
    await accepted(inputs);

    const month = { from: new Date("2027-03-01T00:00:00Z"), to: NOW, provider, currency: "aud" };
    const byDay = await costSummary(ctx, { ...month, groupBy: "day" });
    expect(byDay.data.find((r) => r.key === "2027-03-14")).toMatchObject({ cost: 6, costDecimal: "5.5", units: "11" });
    expect(byDay.data.find((r) => r.key === "2027-03-15")).toMatchObject({ cost: 9, costDecimal: "8.8", units: "11" });
    // 14 days × 10 × 0.5 + 0.5 = 70.5; 6 days × 10 × 0.8 + 0.8 = 48.8; one rounding: 119.3 → 119.
    const total = await costSummary(ctx, { ...month, groupBy: "provider" });
    expect(total.data).toEqual([{ key: provider, units: "202", cost: 119, costDecimal: "119.3", currency: "aud", count: 22 }]);
    // Rounding per day would give 14 × 5 + 6 (5.5) + 9 (8.8) + 5 × 8 = 125: the row is rounded once.
    expect(byDay.data.reduce((s, r) => s + r.cost, 0)).not.toBe(total.data[0]?.cost);
  });
});

describe("exactness over a million per-token costs", () => {
  // The volume runs on PostgreSQL; PGlite (in memory) takes 20,000 with the same arithmetic.
  const N = process.env.DATABASE_URL ? 1_000_000 : 20_000;
  it(`${N.toLocaleString("en")} costs at 0.000015 cents a token sum to the exact decimal, rounded once`, async () => {
    const provider = code("oai");
    const { rates } = await createCostProvider(ctx, {
      code: provider,
      name: "OpenAI",
      rates: [{ operation: "prompt", unit: "token", unitCostDecimal: "0.000015", currency: "usd", effectiveFrom: new Date("2027-01-01T00:00:00Z") }],
    });
    const rate = rates[0]!;
    // Set-based, through the very statement a batch uses (apiCostInsert), in chunks: the service's
    // per-event validation is exercised elsewhere; what is measured here is the arithmetic of the
    // stored costs, their rollups and the report. Tokens per cost: 1 + n mod 997; times spread over
    // 17 days, so costs land in many hourly rollups and both partial hours of the range.
    const from = new Date("2027-03-02T00:30:00Z");
    const spanSeconds = 17 * 86_400;
    await ensureApiCostPartitions(db, [from, NOW]);
    const chunk = 250_000;
    const started = performance.now();
    for (let start = 0; start < N; start += chunk) {
      const end = Math.min(N, start + chunk);
      const source = sql`(select n::int, 'acost_m' || n as id, ${provider}::text || '-' || n as identifier, ${provider}::text as provider_code, 'prompt'::text as operation, null::text as region,
                                 (1 + n % 997)::numeric as units, null::numeric as cost, 'usd'::text as currency, null::text as customer_id,
                                 ${from.toISOString()}::timestamptz + ((n::bigint * 7919) % ${spanSeconds}::bigint) * interval '1 second' as ts, '{}'::jsonb as properties, false as late, false as livemode, ${rate.id}::text as rate_id
                            from generate_series(${start}::int, ${end - 1}::int) as n) as x`;
      // The source's columns are the batch's (API_COST_SOURCE_COLUMNS), so the statement is the same one.
      expect(API_COST_SOURCE_COLUMNS.split(",").length).toBe(15);
      await db.execute(apiCostInsert(source, NOW));
    }
    console.info(`stored ${N.toLocaleString("en")} costs with rollups in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    let tokens = 0n;
    for (let n = 0; n < N; n += 1) tokens += BigInt(1 + (n % 997));
    const exact = { units: tokens * 15n, scale: 6 };
    const summary = await costSummary(ctx, { from: new Date("2027-03-01T00:00:00Z"), to: NOW, groupBy: "provider", provider, currency: "usd" });
    expect(summary.data).toEqual([{ key: provider, units: tokens.toString(), cost: roundDecimal(exact), costDecimal: formatDecimal(exact), currency: "usd", count: N }]);
    // A range with partial hours at both ends reads raw costs there and still equals the raw sum.
    const partial = { from: new Date("2027-03-05T10:17:00Z"), to: new Date("2027-03-11T03:41:00Z") };
    const [raw] = await queryRows<{ cost: string; units: string }>(
      db,
      sql`select trim_scale(sum(cost))::text as cost, trim_scale(sum(units))::text as units from api_costs where provider_code = ${provider} and "timestamp" >= ${partial.from.toISOString()}::timestamptz and "timestamp" < ${partial.to.toISOString()}::timestamptz`,
    );
    const ranged = await costSummary(ctx, { ...partial, groupBy: "provider", provider, currency: "usd" });
    expect(ranged.data[0]).toMatchObject({ costDecimal: raw?.cost, units: raw?.units });
    // Rounding each cost (each below half a cent) would have summed to nothing.
    expect(roundDecimal(exact)).toBeGreaterThan(0);
  }, 600_000);
});

describe("duplicates", () => {
  it("an identifier is stored once, across batches and within one", async () => {
    const provider = code("dup");
    await createCostProvider(ctx, { code: provider, name: "Dup", rates: [{ operation: "call", unit: "request", unitCostDecimal: "1", currency: "aud", effectiveFrom: new Date("2027-01-01Z") }] });
    const cost = (identifier: string, units: number): ApiCostInput => ({ identifier, provider, operation: "call", units, timestamp: new Date("2027-03-20T10:00:00Z") });
    const first = await recordApiCosts(ctx, [cost("a", 1), cost("a", 5), cost("b", 2)]);
    expect(first.map((o) => o.status)).toEqual(["accepted", "duplicate", "accepted"]);
    const again = await recordApiCosts(ctx, [cost("a", 9), cost("b", 9), cost("c", 3)]);
    expect(again.map((o) => o.status)).toEqual(["duplicate", "duplicate", "accepted"]);
    const summary = await costSummary(ctx, { from: new Date("2027-03-20T00:00:00Z"), to: NOW, groupBy: "provider", provider, currency: "aud" });
    expect(summary.data[0]).toMatchObject({ units: "6", cost: 6, count: 3 });
  });
});

describe("FX conversion in the summary", () => {
  it("converts each day at that day's rate (the latest on or before it), either way round, summing exactly before the one rounding", async () => {
    const provider = code("fx");
    await createCostProvider(ctx, { code: provider, name: "FX", rates: [{ operation: "call", unit: "request", unitCostDecimal: "0.333", currency: "usd", effectiveFrom: new Date("2027-01-01Z") }] });
    await recordFxRate(ctx, { base: "usd", quote: "aud", rate: "1.5", date: "2027-03-16" });
    await recordFxRate(ctx, { base: "usd", quote: "aud", rate: "1.6", date: "2027-03-18" });
    await recordFxRate(ctx, { base: "aud", quote: "nzd", rate: "1.1", date: "2027-03-01" });
    await accepted([
      { identifier: `${provider}-16`, provider, operation: "call", units: 100, timestamp: new Date("2027-03-16T05:00:00Z") }, // 33.3 × 1.5 = 49.95
      { identifier: `${provider}-17`, provider, operation: "call", units: 100, timestamp: new Date("2027-03-17T05:00:00Z") }, // 16th's rate: 49.95
      { identifier: `${provider}-18`, provider, operation: "call", units: 100, timestamp: new Date("2027-03-18T05:00:00Z") }, // 33.3 × 1.6 = 53.28
      { identifier: `${provider}-nz`, provider, operation: "call", units: 1, costDecimal: "11", currency: "nzd", region: "NZ", timestamp: new Date("2027-03-18T06:00:00Z") }, // 11 / 1.1 = 10 AUD cents
    ]);
    const range = { from: new Date("2027-03-15T00:00:00Z"), to: NOW, provider };
    expect((await costSummary(ctx, { ...range, groupBy: "provider", currency: "aud" })).data).toEqual([{ key: provider, units: "301", cost: 163, costDecimal: "163.18", currency: "aud", count: 4 }]);
    const byRegion = await costSummary(ctx, { ...range, groupBy: "region", currency: "aud" });
    expect(byRegion.data).toEqual([
      { key: null, units: "300", cost: 153, costDecimal: "153.18", currency: "aud", count: 3 },
      { key: "NZ", units: "1", cost: 10, costDecimal: "10", currency: "aud", count: 1 },
    ]);
    // Before the first USD→AUD rate there is nothing to convert with.
    await accepted([{ identifier: `${provider}-15`, provider, operation: "call", units: 1, timestamp: new Date("2027-03-15T05:00:00Z") }]);
    await expect(costSummary(ctx, { ...range, groupBy: "provider", currency: "aud" })).rejects.toMatchObject({ code: "fx_rate_missing" });
    // A zero needs no rate: nothing converts to nothing (a currency with no MRR on a day, say).
    expect(await convertAmounts(db, [{ amount: { units: 0n, scale: 0 }, currency: "nzd", day: "1999-01-01" }], "aud")).toEqual({ units: 0n, scale: 0 });
    await expect(convertAmounts(db, [{ amount: { units: 1n, scale: 0 }, currency: "nzd", day: "1999-01-01" }], "aud")).rejects.toMatchObject({ code: "fx_rate_missing" });
    expect((await costSummary(ctx, { from: new Date("2027-03-16T00:00:00Z"), to: new Date("2027-03-18T05:30:00Z"), provider, groupBy: "operation", currency: "usd" })).data).toEqual([{ key: "call", units: "300", cost: 100, costDecimal: "99.9", currency: "usd", count: 3 }]);
  });
});
