import { promotionCodes } from "@/db/schema";
import { findCoupon, findPromotionCodeByCode, type PromotionCodeRow } from "@/db/queries/discounts";
import { isUniqueViolation } from "@/db/queries/errors";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "../context";
import { assertFuture, MAX_REDEMPTIONS_LIMIT } from "./coupon-terms";

export const PROMOTION_CODE_SHAPE = /^[A-Za-z0-9_-]{3,40}$/;

export interface CreatePromotionCodeInput {
  /** What customers type: 3–40 of A–Z, a–z, 0–9, "_" and "-"; unique regardless of case. */
  code: string;
  couponId: string;
  active?: boolean;
  maxRedemptions?: number | null;
  expiresAt?: Date | null;
}

export async function createPromotionCode(ctx: ServiceContext, input: CreatePromotionCodeInput): Promise<PromotionCodeRow> {
  if (!PROMOTION_CODE_SHAPE.test(input.code)) {
    throw new AppError("validation_failed", { param: "code", userMessage: 'code must be 3 to 40 letters, digits, "_" or "-".' });
  }
  const maxRedemptions = input.maxRedemptions ?? null;
  if (maxRedemptions !== null && (!Number.isSafeInteger(maxRedemptions) || maxRedemptions < 1 || maxRedemptions > MAX_REDEMPTIONS_LIMIT)) {
    throw new AppError("out_of_range", { param: "max_redemptions", userMessage: "max_redemptions must be an integer of at least 1." });
  }
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt) assertFuture(expiresAt, ctx.now, "expires_at");
  const livemode = ctx.actor.type === "api_key" ? ctx.actor.livemode : false;
  const conflict = () => new AppError("conflict", { param: "code", userMessage: `The promotion code "${input.code}" already exists (codes are unique regardless of case).` });
  try {
    return await ctx.db.transaction(async (tx) => {
      const coupon = await findCoupon(tx, input.couponId);
      if (!coupon || coupon.livemode !== livemode) throw notFound("coupon", "coupon");
      if (!coupon.valid) throw new AppError("validation_failed", { param: "coupon", userMessage: "This coupon is no longer valid." });
      if (coupon.redeemBy && coupon.redeemBy.getTime() <= ctx.now.getTime()) {
        throw new AppError("validation_failed", { param: "coupon", userMessage: "This coupon's redeem_by date has passed." });
      }
      if (expiresAt && coupon.redeemBy && expiresAt.getTime() > coupon.redeemBy.getTime()) {
        throw new AppError("validation_failed", {
          param: "expires_at",
          userMessage: `expires_at must not be later than the coupon's redeem_by (${coupon.redeemBy.toISOString()}).`,
        });
      }
      if (await findPromotionCodeByCode(tx, input.code)) throw conflict();
      const [row] = await tx
        .insert(promotionCodes)
        .values({
          id: newId("promotionCode"),
          code: input.code,
          couponId: coupon.id,
          active: input.active ?? true,
          maxRedemptions,
          expiresAt,
          livemode,
          createdAt: ctx.now,
        })
        .returning();
      if (!row) throw new Error("promotion code insert returned nothing");
      await recordAudit(tx, ctx.actor, { action: "promotion_code.created", entityType: "promotion_code", entityId: row.id, after: row }, ctx.now, ctx.requestId);
      await enqueueEvent(tx, { type: "promotion_code.created", entityId: row.id, payload: { promotion_code: row.id, coupon: coupon.id } }, ctx.now);
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error, "promotion_codes_code_key")) throw conflict();
    throw error;
  }
}
