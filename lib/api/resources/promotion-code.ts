import { z } from "zod";
import type { CouponRow, PromotionCodeRow } from "@/db/queries/discounts";
import { couponResource, toCoupon } from "./coupon";
import { iso, isoOrNull, timestamp } from "./common";

export const promotionCodeResource = z
  .object({
    id: z.string(),
    object: z.literal("promotion_code"),
    code: z.string(),
    coupon: couponResource,
    active: z.boolean(),
    max_redemptions: z.number().int().nullable(),
    times_redeemed: z.number().int(),
    expires_at: timestamp.nullable(),
    livemode: z.boolean(),
    created: timestamp,
  })
  .meta({ id: "PromotionCode" });

export function toPromotionCode(row: PromotionCodeRow, coupon: CouponRow): z.input<typeof promotionCodeResource> {
  return {
    id: row.id,
    object: "promotion_code",
    code: row.code,
    coupon: toCoupon(coupon),
    active: row.active,
    max_redemptions: row.maxRedemptions,
    times_redeemed: row.timesRedeemed,
    expires_at: isoOrNull(row.expiresAt),
    livemode: row.livemode,
    created: iso(row.createdAt),
  };
}
