import type { Executor } from "@/db/client";
import { findCoupon, findPromotionCode, findPromotionCodeByCode, type CouponRow, type PromotionCodeRow } from "@/db/queries/discounts";
import { AppError, notFound } from "@/lib/errors";

export { redeemDiscount } from "./redeem-discount";

export interface ResolveDiscountInput {
  couponId?: string | null;
  /** A promotion code's id (promo_…) or the code a customer typed, in any case. */
  promotionCode?: string | null;
  /** The plans being bought: a coupon restricted to plans must cover at least one of them. */
  planIds: readonly string[];
  /** The currency billed: an amount_off coupon must be in it. */
  currency: string;
  /** When the discount is redeemed: the customer's time (its test clock's, if it has one). */
  at: Date;
  /** The mode of what is being bought; a coupon or code of the other mode is not found. Unchecked when absent. */
  livemode?: boolean;
}

export interface ResolvedDiscount {
  coupon: CouponRow;
  promotionCode: PromotionCodeRow | null;
}

/**
 * The coupon (and promotion code) a purchase may redeem now, or null when neither was asked for.
 * Reads only: redeemDiscount counts the redemption, in the same transaction, once the purchase is
 * certain. An unknown id is a 404 naming the parameter; anything that makes it unusable is a 422
 * `validation_failed` naming `coupon` or `promotion_code` with a message a customer can read.
 */
export async function resolveDiscount(tx: Executor, input: ResolveDiscountInput): Promise<ResolvedDiscount | null> {
  if (input.couponId && input.promotionCode) {
    throw new AppError("validation_failed", { param: "promotion_code", userMessage: "Pass a coupon or a promotion_code, not both." });
  }
  const sameMode = (row: { livemode: boolean }) => input.livemode === undefined || row.livemode === input.livemode;
  const at = input.at.getTime();

  if (input.promotionCode) {
    const param = "promotion_code";
    const promo = await findPromotionCodeFor(tx, input.promotionCode);
    if (!promo || !sameMode(promo)) throw notFound("promotion code", param);
    if (!promo.active) throw unusable(param, "This promotion code is no longer active.");
    if (promo.expiresAt && at >= promo.expiresAt.getTime()) throw unusable(param, "This promotion code has expired.");
    if (promo.maxRedemptions !== null && promo.timesRedeemed >= promo.maxRedemptions) throw unusable(param, "This promotion code has been fully redeemed.");
    const coupon = await findCoupon(tx, promo.couponId);
    if (!coupon) throw notFound("promotion code", param);
    checkCoupon(coupon, input, param, "This promotion code");
    return { coupon, promotionCode: promo };
  }

  if (input.couponId) {
    const coupon = await findCoupon(tx, input.couponId);
    if (!coupon || !sameMode(coupon)) throw notFound("coupon", "coupon");
    checkCoupon(coupon, input, "coupon", "This coupon");
    return { coupon, promotionCode: null };
  }
  return null;
}

function checkCoupon(coupon: CouponRow, input: ResolveDiscountInput, param: string, subject: string): void {
  if (!coupon.valid) throw unusable(param, `${subject} is no longer valid.`);
  // redeem_by is the last moment it can be redeemed.
  if (coupon.redeemBy && input.at.getTime() > coupon.redeemBy.getTime()) throw unusable(param, `${subject} has expired.`);
  if (coupon.maxRedemptions !== null && coupon.timesRedeemed >= coupon.maxRedemptions) throw unusable(param, `${subject} has been fully redeemed.`);
  if (coupon.appliesToPlans && !input.planIds.some((id) => coupon.appliesToPlans?.includes(id))) {
    throw unusable(param, `${subject} does not apply to the selected plan.`);
  }
  if (coupon.amountOff !== null && coupon.currency !== input.currency.toLowerCase()) {
    throw unusable(param, `${subject} is for ${String(coupon.currency).toUpperCase()} amounts, but this is billed in ${input.currency.toUpperCase()}.`);
  }
}

/** An id wins over a code that happens to look like one ("promo_…" is a legal code too). */
async function findPromotionCodeFor(tx: Executor, idOrCode: string): Promise<PromotionCodeRow | undefined> {
  if (idOrCode.startsWith("promo_")) {
    const byId = await findPromotionCode(tx, idOrCode);
    if (byId) return byId;
  }
  return findPromotionCodeByCode(tx, idOrCode);
}

function unusable(param: string, userMessage: string): AppError {
  return new AppError("validation_failed", { param, userMessage });
}
