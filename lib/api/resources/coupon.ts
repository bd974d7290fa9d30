import { z } from "zod";
import type { CouponRow } from "@/db/queries/discounts";
import { bpsToPercent } from "@/lib/services/discounts/percent-off";
import { iso, isoOrNull, metadataOut, timestamp } from "./common";

export const couponResource = z
  .object({
    id: z.string(),
    object: z.literal("coupon"),
    name: z.string(),
    percent_off: z.number().nullable().meta({ description: "Percent off, up to two decimals (25.5 = 25.5%); null for an amount-off coupon." }),
    amount_off: z.number().int().nullable().meta({ description: "Minor units off, in `currency`; null for a percent-off coupon." }),
    currency: z.string().nullable(),
    duration: z.enum(["once", "repeating", "forever"]),
    duration_in_periods: z.number().int().nullable(),
    max_redemptions: z.number().int().nullable(),
    times_redeemed: z.number().int(),
    redeem_by: timestamp.nullable(),
    applies_to: z.object({ plans: z.array(z.string()) }).nullable(),
    valid: z.boolean(),
    livemode: z.boolean(),
    metadata: metadataOut,
    created: timestamp,
  })
  .meta({ id: "Coupon" });

export function toCoupon(row: CouponRow): z.input<typeof couponResource> {
  return {
    id: row.id,
    object: "coupon",
    name: row.name,
    percent_off: row.percentOffBps === null ? null : bpsToPercent(row.percentOffBps),
    amount_off: row.amountOff,
    currency: row.currency,
    duration: row.duration,
    duration_in_periods: row.durationInPeriods,
    max_redemptions: row.maxRedemptions,
    times_redeemed: row.timesRedeemed,
    redeem_by: isoOrNull(row.redeemBy),
    applies_to: row.appliesToPlans ? { plans: row.appliesToPlans } : null,
    valid: row.valid,
    livemode: row.livemode,
    metadata: row.metadata,
    created: iso(row.createdAt),
  };
}
