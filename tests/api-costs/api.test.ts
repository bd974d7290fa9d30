import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog } from "@/db/schema";
import { GET as listProviders, POST as postProvider } from "@/app/api/v1/cost_providers/route";
import { GET as getProvider, PATCH as patchProvider } from "@/app/api/v1/cost_providers/[id]/route";
import { POST as postCost } from "@/app/api/v1/api_costs/route";
import { POST as postBatch } from "@/app/api/v1/api_costs/batch/route";
import { GET as getSummary } from "@/app/api/v1/api_costs/summary/route";
import { GET as listFx, POST as postFx } from "@/app/api/v1/fx_rates/route";
import { randomToken } from "@/lib/ids";
import { call, newKey, problemOf } from "../api/support";
import { answer, makeApiCustomer, makeMeter, refusedWith, uniqueCode, type Json } from "../usage/support";

let key: string;
let customer: Json;
let provider: Json & { code: string; rates: Json[] };
const id = () => `cost-${randomToken(10)}`;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const today = () => new Date().toISOString().slice(0, 10);

const sendCost = (body: Record<string, unknown>, status = 201) => answer<Json & Record<string, unknown>>(postCost, key, status, { path: "/api_costs", body });
const refuseCost = (body: Record<string, unknown>, status = 422) => refusedWith(postCost, key, status, { path: "/api_costs", body });

beforeAll(async () => {
  ({ key } = await newKey());
  customer = await makeApiCustomer(key, { external_id: `ext-${randomToken(8)}` });
  provider = await answer(postProvider, key, 200, {
    path: "/cost_providers",
    body: {
      code: uniqueCode("geo"),
      name: "Geoscape (example rates)",
      regions: ["AU"],
      quota: { limit: 100000, period: "month" },
      rates: [
        { operation: "lookup", unit: "lookup", unit_cost_decimal: "0.5", currency: "aud", effective_from: "2020-01-01T00:00:00Z" },
        { operation: "lookup", region: "AU", unit: "lookup", unit_cost_decimal: "0.45", currency: "aud", effective_from: "2020-01-01T00:00:00Z" },
      ],
    },
  });
});

describe("cost providers", () => {
  it("are created, listed, retrieved and updated; a rate is appended with an audit entry", async () => {
    expect(provider).toMatchObject({ object: "cost_provider", regions: ["AU"], quota: { limit: 100000, period: "month" }, livemode: false });
    expect(provider.id).toMatch(/^cprov_/);
    expect(provider.rates).toHaveLength(2);
    const list = await answer<{ data: Json[] }>(listProviders, key, 200, { method: "GET", path: "/cost_providers" });
    expect(list.data.map((p) => p.id)).toContain(provider.id);
    expect(await refusedWith(postProvider, key, 409, { path: "/cost_providers", body: { code: provider.code, name: "again" } })).toMatchObject({ code: "conflict", param: "code" });

    const other = await answer<Json & { rates: Json[] }>(postProvider, key, 200, { path: "/cost_providers", body: { code: uniqueCode("tmp"), name: "Temp" } });
    const patched = await answer<Json & { rates: Json[] }>(patchProvider, key, 200, {
      method: "PATCH",
      path: `/cost_providers/${other.id}`,
      params: { id: other.id },
      body: { name: "Temp 2", quota: null, rate: { operation: "call", unit: "request", unit_cost_decimal: "0.0100", currency: "usd", effective_from: "2026-01-01T00:00:00Z", note: "example" } },
    });
    expect(patched).toMatchObject({ name: "Temp 2", quota: null, rates: [{ operation: "call", region: null, unit_cost_decimal: "0.01", currency: "usd", note: "example" }] });
    expect(await answer(getProvider, key, 200, { method: "GET", path: `/cost_providers/${other.id}`, params: { id: other.id } })).toEqual(patched);
    const db = await getDb();
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.entityId, other.id)));
    expect(audit.map((a) => a.action).sort()).toEqual(["cost_provider.created", "cost_provider.rate_added", "cost_provider.updated"]);
    const same = { operation: "call", unit: "request", unit_cost_decimal: "0.02", currency: "usd", effective_from: "2026-01-01T00:00:00Z" };
    const clash = await call(patchProvider, { key, method: "PATCH", path: `/cost_providers/${other.id}`, params: { id: other.id }, body: { rate: same } });
    expect(clash.status).toBe(409);
    expect(await problemOf(clash)).toMatchObject({ code: "conflict" });
  });

  it("take pass-through rebilling on a sum meter with a markup of at most two decimals, and switch it off with null", async () => {
    const meter = await makeMeter(key, { code: uniqueCode("passthrough"), name: "Pass-through", aggregation: "sum", value_property: "amount" });
    const counted = await makeMeter(key, { code: uniqueCode("counted"), name: "Counted", aggregation: "count" });
    const rebill = { meter: meter.code, markup_percent: 12.5, currency: "AUD" };
    const created = await answer<Json>(postProvider, key, 200, { path: "/cost_providers", body: { code: uniqueCode("rb"), name: "Rebilled", rebill } });
    expect(created.rebill).toEqual({ meter: meter.code, markup_percent: 12.5, currency: "aud" });
    const patch = (body: unknown) => ({ method: "PATCH", path: `/cost_providers/${created.id}`, params: { id: created.id }, body });
    expect(await refusedWith(patchProvider, key, 422, patch({ rebill: { ...rebill, markup_percent: 12.345 } }))).toMatchObject({ param: "rebill.markup_percent" });
    expect(await refusedWith(patchProvider, key, 422, patch({ rebill: { ...rebill, meter: counted.code } }))).toMatchObject({ code: "validation_failed", param: "rebill.meter" });
    expect(await refusedWith(patchProvider, key, 422, patch({ rebill: { ...rebill, meter: "nope" } }))).toMatchObject({ code: "meter_unknown", param: "rebill.meter" });
    expect(await answer<Json>(patchProvider, key, 200, patch({ rebill: null }))).toMatchObject({ rebill: null });
  });
});

describe("POST /api_costs", () => {
  it("computes the cost from the region's rate, answers 201 then 200 with the stored cost for a duplicate", async () => {
    const identifier = id();
    const body = { identifier, provider: provider.code, operation: "lookup", region: "AU", units: 3, customer_external_id: customer.external_id, timestamp: minutesAgo(10) };
    const created = await sendCost(body);
    expect(created).toMatchObject({ object: "api_cost", identifier, units: "3", cost_decimal: "1.35", currency: "aud", customer: customer.id, late: false, rate: provider.rates[1]?.id });
    expect(created.id).toMatch(/^acost_/);
    expect(await sendCost({ ...body, units: 99 }, 200)).toEqual(created);
  });

  it("falls back to the provider-wide rate, or takes the given cost", async () => {
    expect(await sendCost({ identifier: id(), provider: provider.code, operation: "lookup", region: "NZ", units: "2" })).toMatchObject({ cost_decimal: "1", rate: provider.rates[0]?.id, customer: null });
    expect(await sendCost({ identifier: id(), provider: provider.code, operation: "bulk", units: "1", cost_decimal: "12.5", currency: "usd" })).toMatchObject({ cost_decimal: "12.5", currency: "usd", rate: null });
  });

  it("refuses with clear problems", async () => {
    const base = { provider: provider.code, operation: "lookup", units: 1 };
    expect(await refuseCost({ ...base, identifier: id(), provider: "nope" })).toMatchObject({ code: "cost_provider_unknown", param: "provider" });
    expect(await refuseCost({ ...base, identifier: id(), operation: "reverse" })).toMatchObject({ code: "cost_rate_missing", param: "operation" });
    expect(await refuseCost({ ...base, identifier: id(), units: "lots" })).toMatchObject({ param: "units" });
    expect(await refuseCost({ ...base, identifier: id(), timestamp: new Date(Date.now() + 10 * 60_000).toISOString() })).toMatchObject({ code: "usage_event_in_future", param: "timestamp" });
    expect(await refuseCost({ ...base, identifier: id(), timestamp: minutesAgo(8 * 24 * 60) })).toMatchObject({ code: "usage_event_too_old", param: "timestamp" });
    expect(await refuseCost({ ...base, identifier: id(), customer: "cus_doesnotexist" }, 404)).toMatchObject({ code: "not_found", param: "customer" });
  });
});

describe("POST /api_costs/batch", () => {
  it("judges each cost alone and counts duplicates", async () => {
    const dup = id();
    const costs = [
      { identifier: dup, provider: provider.code, operation: "lookup", units: 1 },
      { identifier: dup, provider: provider.code, operation: "lookup", units: 1 },
      { identifier: id(), provider: "nope", operation: "lookup", units: 1 },
      { identifier: id(), provider: provider.code, operation: "lookup" },
      { identifier: id(), provider: provider.code, operation: "lookup", units: 4, customer: customer.id },
    ];
    const res = await answer<{ accepted: number; duplicates: number; rejected: { index: number; code: string; param?: string }[] }>(postBatch, key, 202, { path: "/api_costs/batch", body: { costs } });
    expect(res).toMatchObject({ accepted: 2, duplicates: 1 });
    expect(res.rejected).toMatchObject([
      { index: 2, code: "cost_provider_unknown" },
      { index: 3, param: "units" },
    ]);
    expect(await refusedWith(postBatch, key, 422, { path: "/api_costs/batch", body: { costs: Array.from({ length: 1001 }, () => ({})) } })).toMatchObject({ param: "costs" });
  });
});

describe("GET /api_costs/summary and /fx_rates", () => {
  it("groups and converts into the reporting currency, rounding once per row", async () => {
    const { key: k } = await newKey();
    const code = uniqueCode("oai");
    await answer(postProvider, k, 200, {
      path: "/cost_providers",
      body: { code, name: "OpenAI", rates: [{ operation: "prompt", unit: "token", unit_cost_decimal: "0.000015", currency: "usd", effective_from: "2020-01-01T00:00:00Z" }] },
    });
    const cus = await makeApiCustomer(k);
    await answer(postBatch, k, 202, {
      path: "/api_costs/batch",
      body: { costs: [1, 2, 3].map((n) => ({ identifier: `s-${n}-${randomToken(6)}`, provider: code, operation: "prompt", units: 100_000 * n, timestamp: minutesAgo(n), customer: n === 1 ? cus.id : undefined })) },
    });
    const from = minutesAgo(60);
    const to = new Date(Date.now() + 60_000).toISOString();
    const q = (extra: string) => answer<{ currency: string; data: Record<string, unknown>[] }>(getSummary, k, 200, { method: "GET", path: `/api_costs/summary?from=${from}&to=${to}&provider=${code}${extra}` });
    // 600,000 tokens × 0.000015 = 9 US cents exactly.
    expect(await q("&group_by=provider&currency=usd")).toMatchObject({ currency: "usd", data: [{ key: code, units: "600000", cost: 9, cost_decimal: "9", currency: "usd", count: 3 }] });
    expect(await refusedWith(getSummary, k, 422, { path: `/api_costs/summary?from=${from}&to=${to}&provider=${code}&currency=aud` })).toMatchObject({ code: "fx_rate_missing" });
    const fx = await answer(postFx, k, 200, { path: "/fx_rates", body: { base: "usd", quote: "aud", rate: "1.55", date: "2020-01-01" } });
    expect(fx).toMatchObject({ object: "fx_rate", base: "usd", quote: "aud", rate: "1.55", date: "2020-01-01" });
    // 9 × 1.55 = 13.95 → 14 (one rounding).
    expect(await q("&group_by=provider")).toMatchObject({ currency: "aud", data: [{ key: code, cost: 14, cost_decimal: "13.95" }] });
    const byCustomer = await q("&group_by=customer&currency=usd");
    expect(byCustomer.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: null, units: "500000", cost: 8 }), expect.objectContaining({ key: cus.id, units: "100000", cost: 2, cost_decimal: "1.5" })]),
    );
    expect((await q("&group_by=day&currency=usd")).data.map((r) => r.key)).toEqual([...new Set([new Date(Date.now() - 3 * 60_000).toISOString().slice(0, 10), today()])]);
    const list = await answer<{ data: Json[] }>(listFx, k, 200, { method: "GET", path: "/fx_rates?base=usd" });
    expect(list.data[0]).toMatchObject({ base: "usd", quote: "aud" });
  });
});
