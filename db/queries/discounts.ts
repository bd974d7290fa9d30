import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { coupons, promotionCodes } from "../schema";

export type CouponRow = typeof coupons.$inferSelect;
export type PromotionCodeRow = typeof promotionCodes.$inferSelect;

export async function findCoupon(tx: Executor, id: string): Promise<CouponRow | undefined> {
  const [row] = await tx.select().from(coupons).where(eq(coupons.id, id));
  return row;
}

export async function lockCoupon(tx: Executor, id: string): Promise<CouponRow | undefined> {
  const [row] = await tx.select().from(coupons).where(eq(coupons.id, id)).for("update");
  return row;
}

/** Coupons by id, for embedding in promotion codes. */
export async function couponsById(tx: Executor, ids: readonly string[]): Promise<Map<string, CouponRow>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.select().from(coupons).where(inArray(coupons.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

export async function findPromotionCode(tx: Executor, id: string): Promise<PromotionCodeRow | undefined> {
  const [row] = await tx.select().from(promotionCodes).where(eq(promotionCodes.id, id));
  return row;
}

export async function lockPromotionCode(tx: Executor, id: string): Promise<PromotionCodeRow | undefined> {
  const [row] = await tx.select().from(promotionCodes).where(eq(promotionCodes.id, id)).for("update");
  return row;
}

/** Codes are unique regardless of case ("SPRING25" and "spring25" are one code): the index is on lower(code). */
export async function findPromotionCodeByCode(tx: Executor, code: string): Promise<PromotionCodeRow | undefined> {
  const [row] = await tx.select().from(promotionCodes).where(sql`lower(${promotionCodes.code}) = lower(${code})`);
  return row;
}

/**
 * One more redemption, if the limit allows it. The guard sits in the UPDATE itself, so concurrent
 * redemptions serialize on the row lock and each re-checks the count it would raise: never more than
 * max_redemptions, without a separate read. Undefined when the coupon is already fully redeemed.
 */
export async function incrementCouponRedemptions(tx: Executor, id: string): Promise<CouponRow | undefined> {
  const [row] = await tx
    .update(coupons)
    .set({ timesRedeemed: sql`${coupons.timesRedeemed} + 1` })
    .where(and(eq(coupons.id, id), or(isNull(coupons.maxRedemptions), lt(coupons.timesRedeemed, coupons.maxRedemptions))))
    .returning();
  return row;
}

/** The same guarded increment for a promotion code's own limit. */
export async function incrementPromotionCodeRedemptions(tx: Executor, id: string): Promise<PromotionCodeRow | undefined> {
  const [row] = await tx
    .update(promotionCodes)
    .set({ timesRedeemed: sql`${promotionCodes.timesRedeemed} + 1` })
    .where(
      and(eq(promotionCodes.id, id), or(isNull(promotionCodes.maxRedemptions), lt(promotionCodes.timesRedeemed, promotionCodes.maxRedemptions))),
    )
    .returning();
  return row;
}

/** Coupons that could still be applied now in `currency` (valid, not expired, not fully redeemed), newest first. */
export async function listRedeemableCoupons(tx: Executor, opts: { currency: string; at: Date; livemode?: boolean }): Promise<CouponRow[]> {
  return tx
    .select()
    .from(coupons)
    .where(
      and(
        eq(coupons.valid, true),
        or(isNull(coupons.redeemBy), sql`${coupons.redeemBy} > ${opts.at}`),
        or(isNull(coupons.maxRedemptions), lt(coupons.timesRedeemed, coupons.maxRedemptions)),
        or(isNull(coupons.currency), eq(coupons.currency, opts.currency)),
        opts.livemode === undefined ? undefined : eq(coupons.livemode, opts.livemode),
      ),
    )
    .orderBy(sql`${coupons.createdAt} desc`)
    .limit(100);
}
