import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import { systemActor } from "@/lib/actor";
import { monthOf } from "@/lib/api-costs/months";
import { parseCsv } from "@/lib/csv/csv";
import { AppError } from "@/lib/errors";
import { randomToken } from "@/lib/ids";
import type { ServiceContext } from "@/lib/services/context";
import { monthCostReport, reportProblem } from "@/lib/services/api-costs/cost-report";
import { exportApiCosts } from "@/lib/services/api-costs/export-costs";
import { recordFxRate } from "@/lib/services/api-costs/fx";
import { createCostProvider } from "@/lib/services/api-costs/providers";
import { recordApiCosts, type ApiCostInput } from "@/lib/services/api-costs/record-api-costs";
import { setSetting } from "@/lib/services/settings/settings";
import { makeCustomer } from "../factories";

// A month no other test records costs in, so the month's figures are this file's alone.
const NOW = new Date("2031-05-20T18:00:00Z");
const MAY = monthOf(NOW);
let db: Db;
let ctx: ServiceContext;
const tag = randomToken(6).toLowerCase();
const llm = `llm_${tag}`;
const geo = `geo_${tag}`;
const idle = `idle_${tag}`;

beforeAll(async () => {
  db = await getDb();
  ctx = { db, actor: systemActor("test"), now: NOW };
  await setSetting(ctx, "usage.late_window_days", 60);
  const from = new Date("2031-03-01T00:00:00Z");
  await createCostProvider(ctx, { code: llm, name: "LLM", regions: ["AU", "US"], rates: [{ operation: "prompt", unit: "token", unitCostDecimal: "0.000015", currency: "usd", effectiveFrom: from }] });
  await createCostProvider(ctx, { code: geo, name: "Geo", regions: ["AU"], rates: [{ operation: "lookup", unit: "lookup", unitCostDecimal: "0.9", currency: "aud", effectiveFrom: from }] });
  await createCostProvider(ctx, { code: idle, name: "Idle", rates: [{ operation: "lookup", unit: "lookup", unitCostDecimal: "1", currency: "aud", effectiveFrom: from }] });
  await recordFxRate(ctx, { base: "usd", quote: "aud", rate: "1.5", date: "2031-04-01" });
});

const record = async (inputs: ApiCostInput[]) => {
  const outcomes = await recordApiCosts(ctx, inputs);
  expect(outcomes.filter((o) => o.status !== "accepted")).toEqual([]);
};

describe("the console's month of API costs", () => {
  it("sums per provider, day, region, operation and customer in the reporting currency, each row rounded once", async () => {
    const alice = await makeCustomer(ctx, { name: `Alice ${tag}` });
    const bob = await makeCustomer(ctx, { name: `Bob ${tag}` });
    await record([
      // 3 × 100,000 tokens × 0.000015 US cents = 4.5 US cents = 6.75 AU cents (at 1.5).
      { identifier: `${tag}-p1`, provider: llm, operation: "prompt", region: "AU", units: 100_000, customer: alice.id, timestamp: new Date("2031-05-02T10:00:00Z") },
      { identifier: `${tag}-p2`, provider: llm, operation: "prompt", region: "US", units: 100_000, customer: alice.id, timestamp: new Date("2031-05-02T11:00:00Z") },
      { identifier: `${tag}-p3`, provider: llm, operation: "prompt", units: 100_000, timestamp: new Date("2031-05-03T11:00:00Z") },
      // 5 lookups × 0.9 AU cents = 4.5 AU cents.
      ...[1, 2, 3, 4, 5].map((n) => ({ identifier: `${tag}-g${n}`, provider: geo, operation: "lookup", region: "AU", units: 1, customer: n <= 2 ? bob.id : undefined, timestamp: new Date(`2031-05-0${n}T08:00:00Z`) })),
      // April: not in May's report.
      { identifier: `${tag}-april`, provider: geo, operation: "lookup", region: "AU", units: 1000, customer: bob.id, timestamp: new Date("2031-04-30T23:59:59Z") },
    ]);

    const report = await monthCostReport(ctx, { month: MAY });
    expect(report.currency).toBe("aud");
    const mine = report.byProvider.filter((r) => [llm, geo, idle].includes(r.key!));
    expect(mine.map((r) => ({ key: r.key, name: r.name, cost: r.cost, costDecimal: r.costDecimal, count: r.count }))).toEqual([
      { key: llm, name: "LLM", cost: 7, costDecimal: "6.75", count: 3 },
      { key: geo, name: "Geo", cost: 5, costDecimal: "4.5", count: 5 },
      // A provider without costs this month is listed at nothing.
      { key: idle, name: "Idle", cost: 0, costDecimal: "0", count: 0 },
    ]);
    // The total is the exact sum rounded once: 6.75 + 4.5 = 11.25 → 11 (the rows' rounded figures add to 12).
    expect(report.total).toEqual({ cost: 11, costDecimal: "11.25", count: 8 });

    expect(report.daily.get(llm)?.map((r) => [r.key, r.costDecimal])).toEqual([
      ["2031-05-02", "4.5"],
      ["2031-05-03", "2.25"],
    ]);
    expect(report.daily.get(idle)).toEqual([]);
    expect(report.byRegion.map((r) => [r.key, r.costDecimal])).toEqual([
      ["AU", "6.75"],
      // Equal costs sort by key: no region first.
      [null, "2.25"],
      ["US", "2.25"],
    ]);
    expect(report.byOperation.map((r) => [r.key, r.costDecimal, r.units])).toEqual([
      ["prompt", "6.75", "300000"],
      ["lookup", "4.5", "5"],
    ]);
    expect(report.topCustomers.map((r) => [r.name, r.costDecimal, r.cost])).toEqual([
      [`Alice ${tag}`, "4.5", 5],
      [`Bob ${tag}`, "1.8", 2],
    ]);

    const byDay = await exportApiCosts(ctx, { month: MAY, groupBy: "day" });
    const rows = parseCsv(byDay.body);
    expect(byDay.filename).toBe("api-costs-2031-05-by-day.csv");
    expect(rows[0]).toEqual(["month", "day", "provider", "units", "costs", "cost", "cost_exact_minor_units", "currency"]);
    expect(rows.filter((r) => r[2] === llm)).toEqual([
      ["2031-05", "2031-05-02", llm, "200000", "2", "0.05", "4.5", "AUD"],
      ["2031-05", "2031-05-03", llm, "100000", "1", "0.02", "2.25", "AUD"],
    ]);
    expect(rows.filter((r) => r[2] === geo)).toHaveLength(5);
    expect(byDay.rows).toBe(rows.length - 1);

    const byCustomer = parseCsv((await exportApiCosts(ctx, { month: MAY, groupBy: "customer" })).body);
    expect(byCustomer[0]).toEqual(["month", "customer", "units", "costs", "cost", "cost_exact_minor_units", "currency"]);
    expect(byCustomer.find((r) => r[1] === alice.id)).toEqual(["2031-05", alice.id, "200000", "2", "0.05", "4.5", "AUD"]);
  });

  it("says which exchange rate is missing instead of failing the page", async () => {
    const eur = `eur_${tag}`;
    await createCostProvider(ctx, { code: eur, name: "Euro API", rates: [{ operation: "call", unit: "request", unitCostDecimal: "2", currency: "eur", effectiveFrom: new Date("2031-03-01T00:00:00Z") }] });
    const june = { ...ctx, now: new Date("2031-06-10T00:00:00Z") };
    expect((await recordApiCosts(june, [{ identifier: `${tag}-eur`, provider: eur, operation: "call", units: 1, timestamp: new Date("2031-06-09T00:00:00Z") }]))[0]?.status).toBe("accepted");
    const failure = await monthCostReport(june, { month: monthOf(june.now) }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect(reportProblem(failure)).toMatch(/eur and aud on or before 2031-06-09/);
    expect(() => reportProblem(new Error("boom"))).toThrow("boom");
  });
});
