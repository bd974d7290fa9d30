import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { coupons, promotionCodes } from "@/db/schema";
import type { CouponRow } from "@/db/queries/discounts";
import { systemActor } from "@/lib/actor";
import { AppError } from "@/lib/errors";
import { randomToken } from "@/lib/ids";
import type { ServiceContext } from "@/lib/services/context";
import { createPlan } from "@/lib/services/catalog/create-plan";
import { createProduct } from "@/lib/services/catalog/create-product";
import { createCoupon, type CreateCouponInput } from "@/lib/services/discounts/create-coupon";
import { createPromotionCode } from "@/lib/services/discounts/create-promotion-code";
import { invalidateCoupon } from "@/lib/services/discounts/invalidate-coupon";
import { updatePromotionCode } from "@/lib/services/discounts/update-promotion-code";
import { redeemDiscount, resolveDiscount, type ResolveDiscountInput } from "@/lib/services/discounts/resolve-discount";
import { DAY_MS } from "@/lib/time";

/** A fixed request time: tests never read the clock. */
const NOW = new Date("2026-03-10T01:00:00.000Z");
const later = (days: number) => new Date(NOW.getTime() + days * DAY_MS);

let db: Db;
let planA: string;
let planB: string;
const ctx = (now = NOW): ServiceContext => ({ db, actor: systemActor("test"), now, requestId: `req_${randomToken(8)}` });

beforeAll(async () => {
  db = await getDb();
  const product = await createProduct(ctx(), { name: "Discounted" });
  const plan = async (code: string) => (await createPlan(ctx(), { productId: product.id, code: `${code}-${randomToken(6).toLowerCase()}`, name: code, interval: "month" })).plan.id;
  planA = await plan("a");
  planB = await plan("b");
});

const coupon = (input: Partial<CreateCouponInput> = {}) => createCoupon(ctx(), { percentOff: 10, duration: "once", ...input });
const promoCode = (couponId: string, extra: { maxRedemptions?: number; expiresAt?: Date } = {}) =>
  createPromotionCode(ctx(), { code: `Code${randomToken(8)}`, couponId, ...extra });
const resolve = (input: Partial<ResolveDiscountInput>) => resolveDiscount(db, { planIds: [planA], currency: "aud", at: NOW, ...input });

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => expect.fail("expected the call to be refused"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("resolveDiscount", () => {
  it("finds a coupon by id and a promotion code by id or by its code in any case", async () => {
    const c = await coupon();
    expect(await resolve({ couponId: c.id })).toMatchObject({ coupon: { id: c.id }, promotionCode: null });
    const promo = await promoCode(c.id);
    for (const ref of [promo.id, promo.code, promo.code.toUpperCase(), promo.code.toLowerCase()]) {
      expect(await resolve({ promotionCode: ref })).toMatchObject({ coupon: { id: c.id }, promotionCode: { id: promo.id } });
    }
    expect(await resolve({})).toBeNull();
  });

  it("unknown ids are 404 naming the parameter; both at once is 422", async () => {
    expect(await refusal(resolve({ couponId: "cpn_missing" }))).toMatchObject({ code: "not_found", status: 404, param: "coupon" });
    expect(await refusal(resolve({ promotionCode: "NOPE-NOT-A-CODE" }))).toMatchObject({ code: "not_found", param: "promotion_code" });
    const c = await coupon();
    expect(await refusal(resolve({ couponId: c.id, livemode: true }))).toMatchObject({ code: "not_found", param: "coupon" });
    expect(await refusal(resolve({ couponId: c.id, promotionCode: "X" }))).toMatchObject({ code: "validation_failed", param: "promotion_code" });
  });

  it("an expired promotion code or coupon, an inactive code and an invalid coupon are refused", async () => {
    const c = await coupon({ redeemBy: later(10) });
    const promo = await promoCode(c.id, { expiresAt: later(1) });
    expect(await resolve({ promotionCode: promo.code, at: later(0.5) })).not.toBeNull();
    const expired = await refusal(resolve({ promotionCode: promo.code, at: later(1) }));
    expect(expired).toMatchObject({ code: "validation_failed", status: 422, param: "promotion_code", userMessage: "This promotion code has expired." });
    expect(await refusal(resolve({ couponId: c.id, at: later(11) }))).toMatchObject({ param: "coupon", userMessage: "This coupon has expired." });

    const other = await promoCode(c.id);
    await updatePromotionCode(ctx(), other.id, { active: false });
    expect(await refusal(resolve({ promotionCode: other.id }))).toMatchObject({ param: "promotion_code", userMessage: "This promotion code is no longer active." });

    const third = await promoCode(c.id);
    await invalidateCoupon(ctx(), c.id);
    expect(await refusal(resolve({ couponId: c.id }))).toMatchObject({ param: "coupon", userMessage: "This coupon is no longer valid." });
    expect(await refusal(resolve({ promotionCode: third.code }))).toMatchObject({ param: "promotion_code", userMessage: "This promotion code is no longer valid." });
  });

  it("a coupon restricted to plans needs one of them; amount_off needs the billed currency", async () => {
    const restricted = await coupon({ appliesToPlans: [planA] });
    expect(await refusal(resolve({ couponId: restricted.id, planIds: [planB] }))).toMatchObject({
      param: "coupon",
      userMessage: "This coupon does not apply to the selected plan.",
    });
    expect(await resolve({ couponId: restricted.id, planIds: [planB, planA] })).toMatchObject({ coupon: { id: restricted.id } });

    const usd = await coupon({ percentOff: null, amountOff: 500, currency: "usd" });
    expect(await resolve({ couponId: usd.id, currency: "USD" })).not.toBeNull();
    expect(await refusal(resolve({ couponId: usd.id, currency: "aud" }))).toMatchObject({ param: "coupon", code: "validation_failed" });
  });
});

describe("redeemDiscount", () => {
  const timesRedeemed = async (id: string) => (await db.select().from(coupons).where(eq(coupons.id, id)))[0]?.timesRedeemed;

  it("counts redemptions up to max_redemptions, then refuses: fully redeemed", async () => {
    const c = await coupon({ maxRedemptions: 2 });
    expect((await redeemDiscount(db, c)).coupon.timesRedeemed).toBe(1);
    expect((await redeemDiscount(db, c)).coupon.timesRedeemed).toBe(2);
    expect(await refusal(redeemDiscount(db, c))).toMatchObject({ code: "validation_failed", param: "coupon", userMessage: "This coupon has been fully redeemed." });
    expect(await refusal(resolve({ couponId: c.id }))).toMatchObject({ param: "coupon", userMessage: "This coupon has been fully redeemed." });
    expect(await timesRedeemed(c.id)).toBe(2);
  });

  it("counts the promotion code and its coupon together, and neither when one is exhausted", async () => {
    const c = await coupon({ maxRedemptions: 2 });
    const promo = await promoCode(c.id, { maxRedemptions: 1 });
    const first = await redeemDiscount(db, c, promo);
    expect([first.coupon.timesRedeemed, first.promotionCode?.timesRedeemed]).toEqual([1, 1]);
    expect(await refusal(redeemDiscount(db, c, promo))).toMatchObject({ param: "promotion_code", userMessage: "This promotion code has been fully redeemed." });
    expect(await refusal(resolve({ promotionCode: promo.id }))).toMatchObject({ userMessage: "This promotion code has been fully redeemed." });

    // The coupon runs out while the code has room: the code's increment is undone with it.
    const open = await promoCode(c.id);
    await redeemDiscount(db, c);
    expect(await refusal(redeemDiscount(db, c, open))).toMatchObject({ param: "promotion_code" });
    expect((await db.select().from(promotionCodes).where(eq(promotionCodes.id, open.id)))[0]?.timesRedeemed).toBe(0);
    expect(await timesRedeemed(c.id)).toBe(2);
  });

  it("inside a caller's transaction, a refusal rolls back with it", async () => {
    const c = await coupon({ maxRedemptions: 1 });
    await db.transaction(async (tx) => {
      await redeemDiscount(tx, c);
    });
    await expect(db.transaction((tx) => redeemDiscount(tx, c))).rejects.toBeInstanceOf(AppError);
    expect(await timesRedeemed(c.id)).toBe(1);
  });

  it.skipIf(!process.env.DATABASE_URL)("10 concurrent redemptions of a max_redemptions 3 coupon: exactly 3 succeed (needs PostgreSQL)", async () => {
    const c: CouponRow = await coupon({ maxRedemptions: 3 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => db.transaction((tx) => redeemDiscount(tx, c))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused).toHaveLength(7);
    for (const r of refused) expect(r.reason).toMatchObject({ code: "validation_failed", param: "coupon", userMessage: "This coupon has been fully redeemed." });
    expect(await timesRedeemed(c.id)).toBe(3);
    expect(await refusal(resolve({ couponId: c.id }))).toMatchObject({ userMessage: "This coupon has been fully redeemed." });
  });
});
