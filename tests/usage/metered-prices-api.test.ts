import { beforeAll, describe, expect, it } from "vitest";
import { POST as postProduct } from "@/app/api/v1/products/route";
import { POST as postPlan } from "@/app/api/v1/plans/route";
import { POST as postPrice } from "@/app/api/v1/prices/route";
import { POST as postSubscription } from "@/app/api/v1/subscriptions/route";
import { GET as getSubscriptionUsage } from "@/app/api/v1/subscriptions/[id]/usage/route";
import { GET as getUpcoming } from "@/app/api/v1/invoices/upcoming/route";
import { randomToken } from "@/lib/ids";
import { newKey } from "../api/support";
import { answer, makeApiCustomer, makeMeter, refusedWith, sendBatch, type Json } from "./support";

let key: string;
let meter: Json & { code: string };
let product: Json;

beforeAll(async () => {
  ({ key } = await newKey());
  meter = await makeMeter(key, { aggregation: "sum", value_property: "calls" });
  product = await answer(postProduct, key, 200, { path: "/products", body: { name: "API" } });
});

const graduated = { currency: "aud", tax_behavior: "inclusive", usage_type: "metered", billing_scheme: "tiered", tiers_mode: "graduated", tiers: [{ up_to: 1000, unit_amount: 0 }, { up_to: null, unit_amount_decimal: "0.2" }] };

describe("metered prices over the API", () => {
  it("a metered price names its meter by code or id and answers with the version; without one, or on a licensed price, it is refused", async () => {
    const plan = await answer<Json & { prices: Json[] }>(postPlan, key, 200, { path: "/plans", body: { product: product.id, code: `calls-${randomToken(6)}`, name: "API calls", interval: "month", prices: [{ ...graduated, meter: meter.code }] } });
    expect(plan.prices[0]).toMatchObject({ usage_type: "metered", meter: meter.id, tiers_mode: "graduated" });
    const byId = await answer(postPrice, key, 200, { path: "/prices", body: { plan: plan.id, ...graduated, meter: meter.id } });
    expect(byId).toMatchObject({ meter: meter.id, version: 2 });

    const refuse = (body: Record<string, unknown>, status = 422) => refusedWith(postPrice, key, status, { path: "/prices", body: { plan: plan.id, ...graduated, ...body } });
    expect(await refuse({ meter: undefined })).toMatchObject({ code: "validation_failed", param: "meter" });
    expect(await refuse({ usage_type: "licensed", billing_scheme: "per_unit", tiers_mode: undefined, tiers: undefined, unit_amount: 100, meter: meter.code })).toMatchObject({ code: "validation_failed", param: "meter" });
    expect(await refuse({ meter: "no_such_meter" }, 404)).toMatchObject({ code: "not_found", param: "meter" });
    const nested = await refusedWith(postPlan, key, 404, { path: "/plans", body: { product: product.id, code: `x-${randomToken(6)}`, name: "X", interval: "month", prices: [{ ...graduated, meter: "nope" }] } });
    expect(nested).toMatchObject({ param: "prices[0].meter" });
  });

  it("GET /subscriptions/{id}/usage and the upcoming invoice show the usage so far and what it will cost, the same line", async () => {
    const plan = await answer<Json & { prices: Json[] }>(postPlan, key, 200, { path: "/plans", body: { product: product.id, code: `calls-${randomToken(6)}`, name: "API calls", interval: "month", prices: [{ ...graduated, meter: meter.code }] } });
    const customer = await makeApiCustomer(key);
    const sub = await answer<Json>(postSubscription, key, 200, { path: "/subscriptions", body: { customer: customer.id, items: [{ price: plan.prices[0]?.id }], collection_method: "send_invoice", days_until_due: 14 } });
    const now = new Date().toISOString();
    const result = await sendBatch(key, [
      { identifier: `a-${randomToken(8)}`, meter: meter.code, customer: customer.id, timestamp: now, properties: { calls: 1200 } },
      { identifier: `b-${randomToken(8)}`, meter: meter.code, customer: customer.id, timestamp: now, properties: { calls: "34.5" } },
    ]);
    expect(result).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] });

    const usage = await answer<Json & { meters: Json[] }>(getSubscriptionUsage, key, 200, { method: "GET", path: `/subscriptions/${sub.id}/usage`, params: { id: sub.id } });
    // 1,234.5 calls bill as 1,235 units: 235 × 0.2 = 47.
    expect(usage).toMatchObject({ object: "subscription_usage", subscription: sub.id, currency: "aud", meters: [{ meter: meter.id, price: plan.prices[0]?.id, value: "1234.5", quantity: 1235, amount: 47 }] });

    const upcoming = await answer<Json & { lines: { data: Json[] } | Json[] }>(getUpcoming, key, 200, { method: "GET", path: `/invoices/upcoming?subscription=${sub.id}` });
    const lines = Array.isArray(upcoming.lines) ? upcoming.lines : upcoming.lines.data;
    expect(lines).toEqual([expect.objectContaining({ description: "API calls usage", amount: 47, quantity: 1235 })]);
  });
});
