import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { outboxEvents } from "@/db/schema";
import { GET as listCoupons, POST as postCoupon } from "@/app/api/v1/coupons/route";
import { DELETE as deleteCoupon, GET as getCoupon, PATCH as patchCoupon } from "@/app/api/v1/coupons/[id]/route";
import { GET as listCodes, POST as postCode } from "@/app/api/v1/promotion_codes/route";
import { GET as getCode, PATCH as patchCode } from "@/app/api/v1/promotion_codes/[id]/route";
import { randomToken } from "@/lib/ids";
import { newKey } from "../api/support";
import { makePlan, ok, refused, type Json } from "./support";

type Coupon = Json & { percent_off: number | null; amount_off: number | null; valid: boolean; times_redeemed: number };
type Code = Json & { code: string; coupon: Coupon; active: boolean };
type List<T> = { data: T[]; has_more: boolean };

let key: string;
beforeAll(async () => {
  ({ key } = await newKey());
});

const FUTURE = "2099-01-01T00:00:00Z";
const createCoupon = (body: Record<string, unknown>, k = key) => ok<Coupon>(postCoupon, k, { path: "/coupons", body });
const refuseCoupon = (body: Record<string, unknown>, status = 422) => refused(postCoupon, key, status, { path: "/coupons", body });
const createCode = (body: Record<string, unknown>, k = key) => ok<Code>(postCode, k, { path: "/promotion_codes", body });
const refuseCode = (body: Record<string, unknown>, status = 422, k = key) => refused(postCode, k, status, { path: "/promotion_codes", body });
const uniqueCode = (prefix: string) => `${prefix}${randomToken(8)}`;

describe("coupons", () => {
  it("percent_off is stored in basis points and returned as written", async () => {
    const coupon = await createCoupon({ percent_off: 25.5, duration: "forever", metadata: { campaign: "spring" } });
    expect(coupon).toMatchObject({
      object: "coupon",
      name: "25.5% off",
      percent_off: 25.5,
      amount_off: null,
      currency: null,
      duration: "forever",
      duration_in_periods: null,
      max_redemptions: null,
      times_redeemed: 0,
      redeem_by: null,
      applies_to: null,
      valid: true,
      livemode: false,
      metadata: { campaign: "spring" },
    });
    expect(coupon.id).toMatch(/^cpn_/);
    expect(await ok(getCoupon, key, { method: "GET", path: `/coupons/${coupon.id}`, params: { id: coupon.id } })).toEqual(coupon);
    expect(await createCoupon({ percent_off: 33.33, duration: "once" })).toMatchObject({ percent_off: 33.33 });
    expect(await createCoupon({ percent_off: 100, duration: "once" })).toMatchObject({ percent_off: 100 });
  });

  it("amount_off goes with a currency and respects its minor unit", async () => {
    const coupon = await createCoupon({ amount_off: 500, currency: "USD", duration: "repeating", duration_in_periods: 3, max_redemptions: 10, redeem_by: FUTURE });
    expect(coupon).toMatchObject({ name: "US$5.00 off", amount_off: 500, currency: "usd", duration_in_periods: 3, max_redemptions: 10, redeem_by: "2099-01-01T00:00:00.000Z" });
    expect(await refuseCoupon({ amount_off: 500, duration: "once" })).toMatchObject({ code: "validation_failed", param: "currency" });
    const yen = await refuseCoupon({ amount_off: 80.5, currency: "jpy", duration: "once" });
    expect(yen).toMatchObject({ code: "amount_invalid", param: "amount_off" });
    expect(yen.detail).toMatch(/JPY has no minor unit/);
    expect(await refuseCoupon({ amount_off: 0, currency: "usd", duration: "once" })).toMatchObject({ code: "out_of_range", param: "amount_off" });
    expect(await refuseCoupon({ amount_off: 100, currency: "XYZ", duration: "once" })).toMatchObject({ code: "currency_unsupported", param: "currency" });
    expect(await refuseCoupon({ percent_off: 10, currency: "usd", duration: "once" })).toMatchObject({ param: "currency" });
  });

  it("percent_off must be 0 < p ≤ 100 with at most two decimals", async () => {
    expect(await refuseCoupon({ percent_off: 150, duration: "once" })).toMatchObject({ status: 422, code: "out_of_range", param: "percent_off" });
    expect(await refuseCoupon({ percent_off: 0, duration: "once" })).toMatchObject({ code: "out_of_range", param: "percent_off" });
    expect(await refuseCoupon({ percent_off: -5, duration: "once" })).toMatchObject({ code: "out_of_range", param: "percent_off" });
    expect(await refuseCoupon({ percent_off: 25.555, duration: "once" })).toMatchObject({ code: "validation_failed", param: "percent_off" });
    expect(await refuseCoupon({ percent_off: "25", duration: "once" })).toMatchObject({ code: "validation_failed", param: "percent_off" });
  });

  it("exactly one of percent_off and amount_off", async () => {
    const both = await refuseCoupon({ percent_off: 10, amount_off: 100, currency: "usd", duration: "once" });
    expect(both).toMatchObject({ status: 422, code: "validation_failed", param: "percent_off" });
    expect(both.detail).toMatch(/not both/);
    expect(await refuseCoupon({ duration: "once" })).toMatchObject({ status: 422, param: "percent_off" });
  });

  it("duration_in_periods is required with repeating and refused otherwise", async () => {
    const missing = await refuseCoupon({ percent_off: 10, duration: "repeating" });
    expect(missing).toMatchObject({ code: "validation_failed", param: "duration_in_periods" });
    expect(await refuseCoupon({ percent_off: 10, duration: "once", duration_in_periods: 3 })).toMatchObject({ param: "duration_in_periods" });
    expect(await refuseCoupon({ percent_off: 10, duration: "repeating", duration_in_periods: 121 })).toMatchObject({ code: "out_of_range", param: "duration_in_periods" });
    expect(await refuseCoupon({ percent_off: 10, duration: "weekly" })).toMatchObject({ param: "duration" });
    expect(await refuseCoupon({ percent_off: 10, duration: "once", max_redemptions: 0 })).toMatchObject({ code: "out_of_range", param: "max_redemptions" });
  });

  it("redeem_by must be a real date-time in the future", async () => {
    const past = await refuseCoupon({ percent_off: 10, duration: "once", redeem_by: "2020-01-01T00:00:00Z" });
    expect(past).toMatchObject({ status: 422, code: "validation_failed", param: "redeem_by" });
    expect(await refuseCoupon({ percent_off: 10, duration: "once", redeem_by: "2099-02-30T00:00:00Z" })).toMatchObject({ code: "date_invalid", param: "redeem_by" });
    expect(await refuseCoupon({ percent_off: 10, duration: "once", redeem_by: "2099-01-01" })).toMatchObject({ code: "date_invalid", param: "redeem_by" });
  });

  it("applies_to names plans that must exist", async () => {
    const plan = await makePlan(key);
    const coupon = await createCoupon({ percent_off: 20, duration: "once", applies_to: { plans: [plan.id] } });
    expect(coupon).toMatchObject({ applies_to: { plans: [plan.id] } });
    expect(await refuseCoupon({ percent_off: 20, duration: "once", applies_to: { plans: [plan.id, "plan_missing"] } }, 404)).toMatchObject({
      code: "not_found",
      param: "applies_to.plans[1]",
    });
    expect(await refuseCoupon({ percent_off: 20, duration: "once", applies_to: { plans: [] } })).toMatchObject({ param: "applies_to.plans" });
  });

  it("PATCH changes only name and metadata; DELETE invalidates but keeps the coupon", async () => {
    const coupon = await createCoupon({ percent_off: 15, duration: "once", metadata: { a: "1" } });
    const path = `/coupons/${coupon.id}`;
    const params = { id: coupon.id };
    expect(await ok(patchCoupon, key, { method: "PATCH", path, params, body: { name: "Launch", metadata: { b: "2" } } })).toMatchObject({
      name: "Launch",
      percent_off: 15,
      metadata: { a: "1", b: "2" },
    });
    expect(await refused(patchCoupon, key, 400, { method: "PATCH", path, params, body: { percent_off: 50 } })).toMatchObject({ code: "unknown_field", param: "percent_off" });

    const deleted = await ok<Coupon>(deleteCoupon, key, { method: "DELETE", path, params });
    expect(deleted).toMatchObject({ id: coupon.id, valid: false, name: "Launch" });
    expect(await ok(getCoupon, key, { method: "GET", path, params })).toMatchObject({ valid: false });
    expect(await ok(deleteCoupon, key, { method: "DELETE", path, params })).toMatchObject({ valid: false });

    const db = await getDb();
    const events = await db.select().from(outboxEvents).where(eq(outboxEvents.entityId, coupon.id));
    expect(events.map((e) => e.type)).toEqual(["coupon.created", "coupon.updated", "coupon.deleted"]);

    expect(await refuseCode({ code: uniqueCode("DEAD"), coupon: coupon.id })).toMatchObject({ code: "validation_failed", param: "coupon" });
  });

  it("are scoped to the key's mode and page with starting_after", async () => {
    const live = await newKey(true);
    const ids: string[] = [];
    for (const percent_off of [5, 10, 15]) ids.push((await createCoupon({ percent_off, duration: "once" }, live.key)).id);
    const first = await ok<List<Coupon>>(listCoupons, live.key, { method: "GET", path: "/coupons?limit=2" });
    expect(first.has_more).toBe(true);
    expect(first.data.every((c) => c.livemode === true)).toBe(true);
    const second = await ok<List<Coupon>>(listCoupons, live.key, { method: "GET", path: `/coupons?limit=2&starting_after=${first.data[1]?.id ?? ""}` });
    expect(second.has_more).toBe(false);
    expect([...first.data, ...second.data].map((c) => c.id).sort()).toEqual([...ids].sort());

    const testCoupon = await createCoupon({ percent_off: 5, duration: "once" });
    expect(await refused(getCoupon, live.key, 404, { method: "GET", path: `/coupons/${testCoupon.id}`, params: { id: testCoupon.id } })).toMatchObject({ code: "not_found" });
    expect(await refused(deleteCoupon, live.key, 404, { method: "DELETE", path: `/coupons/${testCoupon.id}`, params: { id: testCoupon.id } })).toMatchObject({ code: "not_found" });
    expect(await refuseCode({ code: uniqueCode("X"), coupon: testCoupon.id }, 404, live.key)).toMatchObject({ param: "coupon" });
    const testList = await ok<List<Coupon>>(listCoupons, key, { method: "GET", path: "/coupons?limit=100" });
    expect(testList.data.map((c) => c.id)).not.toContain(ids[0]);
  });
});

describe("promotion codes", () => {
  it("embed their coupon and are unique regardless of case", async () => {
    const coupon = await createCoupon({ percent_off: 25, duration: "once" });
    const code = uniqueCode("Spring");
    const promo = await createCode({ code, coupon: coupon.id, max_redemptions: 5, expires_at: FUTURE });
    expect(promo).toMatchObject({
      object: "promotion_code",
      code,
      coupon: { id: coupon.id, object: "coupon", percent_off: 25 },
      active: true,
      max_redemptions: 5,
      times_redeemed: 0,
      expires_at: "2099-01-01T00:00:00.000Z",
      livemode: false,
    });
    expect(promo.id).toMatch(/^promo_/);

    for (const variant of [code.toUpperCase(), code.toLowerCase()]) {
      expect(await refuseCode({ code: variant, coupon: coupon.id }, 409)).toMatchObject({ code: "conflict", param: "code" });
    }
    const found = await ok<List<Code>>(listCodes, key, { method: "GET", path: `/promotion_codes?code=${code.toLowerCase()}` });
    expect(found.data.map((p) => p.id)).toEqual([promo.id]);
    const byCoupon = await ok<List<Code>>(listCodes, key, { method: "GET", path: `/promotion_codes?coupon=${coupon.id}` });
    expect(byCoupon.data.map((p) => p.id)).toEqual([promo.id]);
    expect(await ok(getCode, key, { method: "GET", path: `/promotion_codes/${promo.id}`, params: { id: promo.id } })).toEqual(promo);
  });

  it("validate the code, the coupon, max_redemptions and expires_at", async () => {
    const coupon = await createCoupon({ percent_off: 10, duration: "once", redeem_by: "2098-01-01T00:00:00Z" });
    expect(await refuseCode({ code: "ab", coupon: coupon.id })).toMatchObject({ param: "code" });
    expect(await refuseCode({ code: "has space", coupon: coupon.id })).toMatchObject({ param: "code" });
    expect(await refuseCode({ code: "x".repeat(41), coupon: coupon.id })).toMatchObject({ code: "too_long", param: "code" });
    expect(await refuseCode({ code: uniqueCode("A"), coupon: "cpn_missing" }, 404)).toMatchObject({ code: "not_found", param: "coupon" });
    expect(await refuseCode({ code: uniqueCode("A"), coupon: coupon.id, max_redemptions: 0 })).toMatchObject({ code: "out_of_range", param: "max_redemptions" });
    expect(await refuseCode({ code: uniqueCode("A"), coupon: coupon.id, expires_at: "2001-01-01T00:00:00Z" })).toMatchObject({ param: "expires_at" });
    // A code cannot outlive its coupon.
    expect(await refuseCode({ code: uniqueCode("A"), coupon: coupon.id, expires_at: FUTURE })).toMatchObject({ param: "expires_at" });
  });

  it("PATCH turns a code off and on; live keys do not see test codes", async () => {
    const coupon = await createCoupon({ percent_off: 10, duration: "once" });
    const promo = await createCode({ code: uniqueCode("Toggle"), coupon: coupon.id });
    const path = `/promotion_codes/${promo.id}`;
    const params = { id: promo.id };
    expect(await ok(patchCode, key, { method: "PATCH", path, params, body: { active: false } })).toMatchObject({ active: false });
    const inactive = await ok<List<Code>>(listCodes, key, { method: "GET", path: `/promotion_codes?coupon=${coupon.id}&active=false` });
    expect(inactive.data.map((p) => p.id)).toEqual([promo.id]);
    expect(await ok(patchCode, key, { method: "PATCH", path, params, body: { active: true } })).toMatchObject({ active: true });
    expect(await refused(patchCode, key, 400, { method: "PATCH", path, params, body: { code: "NEW" } })).toMatchObject({ code: "unknown_field" });

    await ok(deleteCoupon, key, { method: "DELETE", path: `/coupons/${coupon.id}`, params: { id: coupon.id } });
    await ok(patchCode, key, { method: "PATCH", path, params, body: { active: false } });
    expect(await refused(patchCode, key, 422, { method: "PATCH", path, params, body: { active: true } })).toMatchObject({ param: "active" });

    const live = await newKey(true);
    expect(await refused(getCode, live.key, 404, { method: "GET", path, params })).toMatchObject({ code: "not_found" });
    const liveList = await ok<List<Code>>(listCodes, live.key, { method: "GET", path: `/promotion_codes?code=${promo.code}` });
    expect(liveList.data).toEqual([]);
  });
});
