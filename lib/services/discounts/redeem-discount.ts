import type { Executor } from "@/db/client";
import { incrementCouponRedemptions, incrementPromotionCodeRedemptions, type CouponRow, type PromotionCodeRow } from "@/db/queries/discounts";
import { AppError } from "@/lib/errors";

/**
 * Counts one redemption of the coupon (and of the promotion code it came through), each guarded by
 * its max_redemptions inside the UPDATE, so concurrent purchases can never redeem more than the
 * limit. Both counts move together: they run in a savepoint, and a refused one undoes the other.
 * Returns the updated rows; 422 `validation_failed` naming `promotion_code` (when one was used) or
 * `coupon` when the limit has been reached.
 */
export async function redeemDiscount(
  tx: Executor,
  coupon: Pick<CouponRow, "id">,
  promotionCode?: Pick<PromotionCodeRow, "id"> | null,
): Promise<{ coupon: CouponRow; promotionCode: PromotionCodeRow | null }> {
  const param = promotionCode ? "promotion_code" : "coupon";
  const subject = promotionCode ? "This promotion code" : "This coupon";
  return tx.transaction(async (sp) => {
    let promo: PromotionCodeRow | null = null;
    if (promotionCode) {
      promo = (await incrementPromotionCodeRedemptions(sp, promotionCode.id)) ?? null;
      if (!promo) throw new AppError("validation_failed", { param, userMessage: `${subject} has been fully redeemed.` });
    }
    const redeemed = await incrementCouponRedemptions(sp, coupon.id);
    if (!redeemed) throw new AppError("validation_failed", { param, userMessage: `${subject} has been fully redeemed.` });
    return { coupon: redeemed, promotionCode: promo };
  });
}
