import { beforeAll, describe, expect, it } from "vitest";
import { makeMeter } from "../usage/support";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog, outboxEvents } from "@/db/schema";
import { GET as listPlans, POST as postPlan } from "@/app/api/v1/plans/route";
import { GET as getPlan, PATCH as patchPlan } from "@/app/api/v1/plans/[id]/route";
import { GET as listPrices, POST as postPrice } from "@/app/api/v1/prices/route";
import { GET as getPrice } from "@/app/api/v1/prices/[id]/route";
import { GET as listProducts, POST as postProduct } from "@/app/api/v1/products/route";
import { GET as getProduct, PATCH as patchProduct } from "@/app/api/v1/products/[id]/route";
import { call, newKey } from "../api/support";
import { makePlan, makeProduct, ok, refused, uniqueCode, type Json } from "./support";

type Price = Json & { version: number; active: boolean; currency: string; unit_amount: number | null; tiers: unknown; plan: string };
type Plan = Json & { prices: Price[]; code: string };
type List<T> = { object: "list"; data: T[]; has_more: boolean };

let key: string;
/** The meter the metered prices bill. */
let meterCode: string;
beforeAll(async () => {
  ({ key } = await newKey());
  meterCode = (await makeMeter(key, { aggregation: "count" })).code;
});

const createPrice = (body: Record<string, unknown>) => ok<Price>(postPrice, key, { path: "/prices", body });
const refusePrice = (body: Record<string, unknown>, status = 422) => refused(postPrice, key, status, { path: "/prices", body });

describe("products", () => {
  it("are created, retrieved, updated (metadata merged) and listed by active", async () => {
    const product = await ok(postProduct, key, { path: "/products", body: { name: "Tally Cloud", description: "Hosting", metadata: { tier: "gold" } } });
    expect(product).toMatchObject({ object: "product", name: "Tally Cloud", description: "Hosting", active: true, metadata: { tier: "gold" } });
    expect(product.id).toMatch(/^prod_/);
    expect(await ok(getProduct, key, { method: "GET", path: `/products/${product.id}`, params: { id: product.id } })).toEqual(product);

    const updated = await ok(patchProduct, key, {
      method: "PATCH",
      path: `/products/${product.id}`,
      params: { id: product.id },
      body: { name: "Tally Cloud 2", active: false, metadata: { region: "au" } },
    });
    expect(updated).toMatchObject({ name: "Tally Cloud 2", active: false, description: "Hosting", metadata: { tier: "gold", region: "au" } });
    // An empty PATCH changes nothing and still answers with the object.
    expect(await ok(patchProduct, key, { method: "PATCH", path: `/products/${product.id}`, params: { id: product.id }, body: {} })).toEqual(updated);

    const inactive = await ok<List<Json>>(listProducts, key, { method: "GET", path: "/products?active=false" });
    expect(inactive.data.map((p) => p.id)).toContain(product.id);
    const active = await ok<List<Json>>(listProducts, key, { method: "GET", path: "/products?active=true&limit=100" });
    expect(active.data.map((p) => p.id)).not.toContain(product.id);

    const db = await getDb();
    const audit = await db.select().from(auditLog).where(eq(auditLog.entityId, product.id));
    expect(audit.map((a) => a.action).sort()).toEqual(["product.created", "product.updated"]);
  });

  it("an unknown product is 404; an empty name is 422", async () => {
    expect(await refused(getProduct, key, 404, { method: "GET", path: "/products/prod_nope", params: { id: "prod_nope" } })).toMatchObject({ code: "not_found", param: "id" });
    expect(await refused(postProduct, key, 422, { path: "/products", body: { name: "" } })).toMatchObject({ param: "name" });
  });
});

describe("plans", () => {
  it("are created with their first price per currency (version 1), with audit and outbox events", async () => {
    const product = await makeProduct(key);
    const code = uniqueCode("pro");
    const plan = await ok<Plan>(postPlan, key, {
      path: "/plans",
      body: {
        product: product.id,
        code,
        name: "Pro",
        interval: "month",
        trial_period_days: 14,
        features: ["sso", "audit-log"],
        prices: [
          { currency: "AUD", unit_amount: 2900, tax_behavior: "inclusive" },
          { currency: "usd", unit_amount: 1900, tax_behavior: "exclusive" },
        ],
      },
    });
    expect(plan).toMatchObject({ object: "plan", product: product.id, code, interval: "month", interval_count: 1, trial_period_days: 14, features: [{ code: "sso", meter: null, limit: null, hard: false }, { code: "audit-log", meter: null, limit: null, hard: false }], active: true });
    expect(plan.prices.map((p) => [p.currency, p.version, p.active, p.unit_amount]).sort()).toEqual([
      ["aud", 1, true, 2900],
      ["usd", 1, true, 1900],
    ]);
    expect(await ok(getPlan, key, { method: "GET", path: `/plans/${plan.id}`, params: { id: plan.id } })).toMatchObject({ id: plan.id, code });

    const db = await getDb();
    const events = await db.select().from(outboxEvents).where(eq(outboxEvents.entityId, plan.id));
    expect(events.map((e) => e.type)).toEqual(["plan.created"]);
    const priceEvents = await db.select().from(outboxEvents).where(and(eq(outboxEvents.type, "price.created"), eq(outboxEvents.entityId, plan.prices[0]?.id ?? "")));
    expect(priceEvents).toHaveLength(1);
  });

  it("a second plan with the same code is 409 naming code, also when both arrive at once", async () => {
    const product = await makeProduct(key);
    const code = uniqueCode("dup");
    await ok(postPlan, key, { path: "/plans", body: { product: product.id, code, name: "A", interval: "year" } });
    expect(await refused(postPlan, key, 409, { path: "/plans", body: { product: product.id, code, name: "B", interval: "year" } })).toMatchObject({
      code: "conflict",
      param: "code",
    });

    const race = uniqueCode("race");
    const statuses = await Promise.all(
      [1, 2].map((n) => call(postPlan, { key, path: "/plans", body: { product: product.id, code: race, name: `R${n}`, interval: "month" } }).then((r) => r.status)),
    );
    expect(statuses.sort()).toEqual([200, 409]);
  });

  it("validates the product, the interval count, the trial and duplicate currencies", async () => {
    const product = await makeProduct(key);
    const base = { product: product.id, name: "X", interval: "month" };
    expect(await refused(postPlan, key, 404, { path: "/plans", body: { ...base, code: uniqueCode(), product: "prod_missing" } })).toMatchObject({ param: "product" });
    expect(await refused(postPlan, key, 422, { path: "/plans", body: { ...base, code: uniqueCode(), interval_count: 37 } })).toMatchObject({
      code: "interval_invalid",
      param: "interval_count",
    });
    expect(await ok(postPlan, key, { path: "/plans", body: { ...base, code: uniqueCode(), interval: "year", interval_count: 3 } })).toMatchObject({ interval_count: 3 });
    expect(await refused(postPlan, key, 422, { path: "/plans", body: { ...base, code: uniqueCode(), interval: "year", interval_count: 4 } })).toMatchObject({ param: "interval_count" });
    expect(await refused(postPlan, key, 422, { path: "/plans", body: { ...base, code: uniqueCode(), trial_period_days: 731 } })).toMatchObject({
      code: "out_of_range",
      param: "trial_period_days",
    });
    expect(await refused(postPlan, key, 422, { path: "/plans", body: { ...base, code: uniqueCode(), interval: "fortnight" } })).toMatchObject({ param: "interval" });
    const twoAud = [
      { currency: "aud", unit_amount: 100, tax_behavior: "inclusive" },
      { currency: "AUD", unit_amount: 200, tax_behavior: "inclusive" },
    ];
    expect(await refused(postPlan, key, 422, { path: "/plans", body: { ...base, code: uniqueCode(), prices: twoAud } })).toMatchObject({ param: "prices[1].currency" });
    expect(await refused(postPlan, key, 422, { path: "/plans", body: { ...base, code: "has space" } })).toMatchObject({ param: "code" });
  });

  it("PATCH changes name, trial, features, active and metadata but never the interval", async () => {
    const plan = await makePlan(key, { metadata: { a: "1" }, prices: [{ currency: "aud", unit_amount: 1000, tax_behavior: "inclusive" }] });
    const patch = (body: unknown, status = 200) =>
      status === 200
        ? ok<Plan>(patchPlan, key, { method: "PATCH", path: `/plans/${plan.id}`, params: { id: plan.id }, body })
        : refused(patchPlan, key, status, { method: "PATCH", path: `/plans/${plan.id}`, params: { id: plan.id }, body });
    const updated = (await patch({ name: "Pro 2", trial_period_days: 7, features: ["x"], active: false, metadata: { b: "2" } })) as Plan;
    expect(updated).toMatchObject({ name: "Pro 2", trial_period_days: 7, features: [{ code: "x", meter: null, limit: null, hard: false }], active: false, metadata: { a: "1", b: "2" }, interval: "month" });
    expect(updated.prices).toHaveLength(1);
    expect(await patch({ interval: "year" }, 400)).toMatchObject({ code: "unknown_field", param: "interval" });
    expect(await patch({ trial_period_days: -1 }, 422)).toMatchObject({ code: "out_of_range", param: "trial_period_days" });
    expect(await refused(patchPlan, key, 404, { method: "PATCH", path: "/plans/plan_nope", params: { id: "plan_nope" }, body: { name: "x" } })).toMatchObject({ param: "id" });
  });
});

describe("prices are immutable versions", () => {
  it("a second price for the same plan and currency is version 2 and current; version 1 is inactive but retrievable", async () => {
    const plan = await makePlan(key, {
      prices: [
        { currency: "aud", unit_amount: 1000, tax_behavior: "inclusive" },
        { currency: "usd", unit_amount: 700, tax_behavior: "exclusive" },
      ],
    });
    const v1 = plan.prices.find((p) => p.currency === "aud");
    if (!v1) throw new Error("no aud price");
    const v2 = await createPrice({ plan: plan.id, currency: "aud", unit_amount: 1200, tax_behavior: "inclusive" });
    expect(v2).toMatchObject({ object: "price", plan: plan.id, currency: "aud", version: 2, active: true, unit_amount: 1200, billing_scheme: "per_unit", usage_type: "licensed" });

    const current = await ok<Plan>(getPlan, key, { method: "GET", path: `/plans/${plan.id}`, params: { id: plan.id } });
    expect(current.prices.map((p) => [p.currency, p.id]).sort()).toEqual(
      [
        ["aud", v2.id],
        ["usd", plan.prices.find((p) => p.currency === "usd")?.id],
      ].sort(),
    );
    const old = await ok<Price>(getPrice, key, { method: "GET", path: `/prices/${v1.id}`, params: { id: v1.id } });
    expect(old).toMatchObject({ id: v1.id, version: 1, active: false, unit_amount: 1000 });

    const all = await ok<List<Price>>(listPrices, key, { method: "GET", path: `/prices?plan=${plan.id}&currency=AUD` });
    expect(all.data.map((p) => p.version).sort()).toEqual([1, 2]);
    const active = await ok<List<Price>>(listPrices, key, { method: "GET", path: `/prices?plan=${plan.id}&active=true` });
    expect(active.data.map((p) => p.currency).sort()).toEqual(["aud", "usd"]);

    const v3 = await createPrice({ plan: plan.id, currency: "aud", unit_amount: 1500, tax_behavior: "inclusive" });
    expect(v3.version).toBe(3);
    const db = await getDb();
    const deactivated = await db.select().from(outboxEvents).where(and(eq(outboxEvents.type, "price.updated"), eq(outboxEvents.entityId, v2.id)));
    expect(deactivated).toHaveLength(1);
  });

  it("a price for a new currency starts at version 1; an unknown plan is 404 naming plan", async () => {
    const plan = await makePlan(key);
    expect(plan.prices).toEqual([]);
    expect(await createPrice({ plan: plan.id, currency: "eur", unit_amount: 900, tax_behavior: "inclusive" })).toMatchObject({ version: 1, active: true });
    expect(await refusePrice({ plan: "plan_missing", currency: "eur", unit_amount: 900, tax_behavior: "inclusive" }, 404)).toMatchObject({ code: "not_found", param: "plan" });
  });

  it("tiered prices: normalised tiers; errors name the tier field", async () => {
    const plan = await makePlan(key);
    const tiered = (tiers: unknown, extra: Record<string, unknown> = {}) => ({
      plan: plan.id,
      currency: "usd",
      tax_behavior: "exclusive",
      billing_scheme: "tiered",
      tiers_mode: "graduated",
      tiers,
      ...extra,
    });
    const price = await createPrice(tiered([{ up_to: 10, unit_amount: 500 }, { up_to: 100, unit_amount: 400, flat_amount: 1000 }, { up_to: null, unit_amount: 300 }]));
    expect(price).toMatchObject({
      billing_scheme: "tiered",
      tiers_mode: "graduated",
      unit_amount: null,
      tiers: [
        { up_to: 10, unit_amount: 500, flat_amount: null },
        { up_to: 100, unit_amount: 400, flat_amount: 1000 },
        { up_to: null, unit_amount: 300, flat_amount: null },
      ],
    });
    // Metered usage: included units as a free first tier, then a sub-minor-unit price per unit ("2" is stored as a whole unit_amount).
    const metered = await createPrice(tiered([{ up_to: 1000, unit_amount: 0 }, { up_to: 100000, unit_amount_decimal: "0.2000" }, { up_to: null, unit_amount_decimal: "2" }], { usage_type: "metered", meter: meterCode }));
    expect(metered).toMatchObject({
      usage_type: "metered",
      tiers: [
        { up_to: 1000, unit_amount: 0, unit_amount_decimal: null, flat_amount: null },
        { up_to: 100000, unit_amount: null, unit_amount_decimal: "0.2", flat_amount: null },
        { up_to: null, unit_amount: 2, unit_amount_decimal: null, flat_amount: null },
      ],
    });

    const cases: [unknown, Record<string, unknown>, string, string][] = [
      [[{ up_to: 10, unit_amount: 5 }, { up_to: 20, unit_amount: 4 }], {}, "tiers[1].up_to", "validation_failed"],
      [[{ up_to: 10, unit_amount: 5 }, { up_to: 10, unit_amount: 4 }, { up_to: null, unit_amount: 3 }], {}, "tiers[1].up_to", "validation_failed"],
      [[{ up_to: null, unit_amount: 5 }, { up_to: null, unit_amount: 4 }], {}, "tiers[0].up_to", "validation_failed"],
      [[{ up_to: 0, unit_amount: 5 }, { up_to: null, unit_amount: 4 }], {}, "tiers[0].up_to", "out_of_range"],
      [[{ up_to: 5, unit_amount: 5 }, { unit_amount: 4 }], {}, "tiers[1].up_to", "validation_failed"],
      [[{ up_to: 5, unit_amount: 5 }, { up_to: null }], {}, "tiers[1].unit_amount", "validation_failed"],
      [[{ up_to: 5, unit_amount: -5 }, { up_to: null, unit_amount: 1 }], {}, "tiers[0].unit_amount", "amount_invalid"],
      [[{ up_to: 5, unit_amount: 5.5 }, { up_to: null, unit_amount: 1 }], {}, "tiers[0].unit_amount", "amount_invalid"],
      [[{ up_to: null, unit_amount: 5, colour: "red" }], {}, "tiers[0].colour", "unknown_field"],
      [[], {}, "tiers", "validation_failed"],
      [[{ up_to: null, unit_amount: 5 }], { tiers_mode: undefined }, "tiers_mode", "validation_failed"],
      [[{ up_to: null, unit_amount: 5 }], { unit_amount: 100 }, "unit_amount", "validation_failed"],
      [[{ up_to: null, unit_amount: 5 }], { package_size: 10 }, "package_size", "validation_failed"],
      [[{ up_to: null, unit_amount: 5, unit_amount_decimal: "0.5" }], {}, "tiers[0].unit_amount_decimal", "validation_failed"],
      [[{ up_to: null, unit_amount_decimal: "0.1234567890123" }], {}, "tiers[0].unit_amount_decimal", "validation_failed"],
    ];
    for (const [tiers, extra, param, code] of cases) {
      const problem = await refusePrice(tiered(tiers, extra), code === "unknown_field" ? 400 : 422);
      expect({ param: problem.param, code: problem.code }, JSON.stringify(tiers)).toEqual({ param, code });
    }
    // Nested under a plan's initial prices, the path says which price.
    const nested = await refused(postPlan, key, 422, {
      path: "/plans",
      body: {
        product: plan.product,
        code: uniqueCode(),
        name: "Tiered",
        interval: "month",
        prices: [{ currency: "usd", tax_behavior: "exclusive", billing_scheme: "tiered", tiers_mode: "volume", tiers: [{ up_to: 5, unit_amount: 1 }, { up_to: 5, unit_amount: 1 }] }],
      },
    });
    expect(nested).toMatchObject({ code: "validation_failed", param: "prices[0].tiers[1].up_to" });
  });

  it("per-unit prices need unit_amount or unit_amount_decimal; package_size ≥ 1", async () => {
    const plan = await makePlan(key);
    const base = { plan: plan.id, currency: "usd", tax_behavior: "exclusive" };
    expect(await refusePrice(base)).toMatchObject({ code: "validation_failed", param: "unit_amount" });
    expect(await refusePrice({ ...base, unit_amount: 1, unit_amount_decimal: "1" })).toMatchObject({ param: "unit_amount_decimal" });
    expect(await refusePrice({ ...base, unit_amount: 1, tiers_mode: "volume" })).toMatchObject({ param: "tiers_mode" });
    expect(await refusePrice({ ...base, unit_amount: 1, package_size: 0 })).toMatchObject({ code: "out_of_range", param: "package_size" });
    expect(await refusePrice({ ...base, unit_amount_decimal: "1.2.3" })).toMatchObject({ code: "validation_failed", param: "unit_amount_decimal" });
    expect(await refusePrice({ ...base, unit_amount: 1, tax_behavior: "maybe" })).toMatchObject({ param: "tax_behavior" });

    const pack = await createPrice({ ...base, unit_amount: 1000, package_size: 10, usage_type: "metered", meter: meterCode });
    expect(pack).toMatchObject({ package_size: 10, usage_type: "metered", version: 1 });
    const fractional = await createPrice({ ...base, currency: "eur", unit_amount_decimal: "0.1250" });
    expect(fractional).toMatchObject({ unit_amount: null, unit_amount_decimal: "0.125" });
    const whole = await createPrice({ ...base, currency: "gbp", unit_amount_decimal: "1000.00" });
    expect(whole).toMatchObject({ unit_amount: 1000, unit_amount_decimal: "1000" });
  });

  it("amounts respect the currency's minor unit: JPY 80.5 is refused, 80 is fine; an unknown currency is refused", async () => {
    const plan = await makePlan(key);
    const jpy = await refusePrice({ plan: plan.id, currency: "jpy", unit_amount: 80.5, tax_behavior: "inclusive" });
    expect(jpy).toMatchObject({ status: 422, code: "amount_invalid", param: "unit_amount" });
    expect(jpy.detail).toMatch(/^JPY has no minor unit: unit_amount must be a whole number of yen/);
    expect(await createPrice({ plan: plan.id, currency: "JPY", unit_amount: 80, tax_behavior: "inclusive" })).toMatchObject({ currency: "jpy", unit_amount: 80 });

    const usd = await refusePrice({ plan: plan.id, currency: "usd", unit_amount: 10.999, tax_behavior: "exclusive" });
    expect(usd).toMatchObject({ code: "amount_invalid", param: "unit_amount" });
    expect(usd.detail).toMatch(/integer number of minor units, e\.g\. 1099 = US\$10\.99/);
    for (const unit_amount of ["1099", null, -1]) {
      expect(await refusePrice({ plan: plan.id, currency: "usd", unit_amount, tax_behavior: "exclusive" })).toMatchObject({ code: "amount_invalid", param: "unit_amount" });
    }
    for (const currency of ["XYZ", "US$", "xau"]) {
      expect(await refusePrice({ plan: plan.id, currency, unit_amount: 100, tax_behavior: "exclusive" })).toMatchObject({ code: "currency_unsupported", param: "currency" });
    }
    expect(
      await refusePrice({ plan: plan.id, currency: "jpy", tax_behavior: "inclusive", billing_scheme: "tiered", tiers_mode: "volume", tiers: [{ up_to: null, flat_amount: 0.5 }] }),
    ).toMatchObject({ code: "amount_invalid", param: "tiers[0].flat_amount" });
  });

  it("lists page with limit and starting_after", async () => {
    const plan = await makePlan(key);
    const created: string[] = [];
    for (const unit_amount of [100, 200, 300, 400, 500]) created.push((await createPrice({ plan: plan.id, currency: "aud", unit_amount, tax_behavior: "inclusive" })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const list = await ok<List<Price>>(listPrices, key, { method: "GET", path: `/prices?plan=${plan.id}&limit=2${cursor ? `&starting_after=${cursor}` : ""}` });
      seen.push(...list.data.map((p) => p.id));
      expect(list.has_more).toBe(seen.length < 5);
      if (!list.has_more) break;
      cursor = list.data.at(-1)?.id;
    }
    expect(seen).toHaveLength(5);
    expect([...seen].sort()).toEqual([...created].sort());
    expect(await refused(listPrices, key, 404, { method: "GET", path: "/prices?starting_after=price_missing" })).toMatchObject({ param: "starting_after" });

    const plans = await ok<List<Plan>>(listPlans, key, { method: "GET", path: `/plans?code=${plan.code}` });
    expect(plans.data.map((p) => p.id)).toEqual([plan.id]);
    expect(plans.data[0]?.prices.map((p) => p.unit_amount)).toEqual([500]);
  });
});
