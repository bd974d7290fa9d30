"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { AppError } from "@/lib/errors";
import { createCoupon } from "@/lib/services/discounts/create-coupon";
import { createPromotionCode } from "@/lib/services/discounts/create-promotion-code";
import { invalidateCoupon } from "@/lib/services/discounts/invalidate-coupon";
import { updatePromotionCode } from "@/lib/services/discounts/update-promotion-code";
import { couponTermsLabel } from "@/components/admin/catalog/terms";
import { currencyCode, endOfDayUtc, minorUnits, wholeNumber, withFieldNames } from "../form-values";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const createCouponAction = validatedAction(
  "catalog.write",
  z.object({
    name: z.string().trim().max(200, "Keep the name under 200 characters.").optional(),
    kind: z.enum(["percent", "amount"]),
    percent_off: z.string().optional(),
    amount_off: z.string().optional(),
    currency: z.string().optional(),
    duration: z.enum(["once", "repeating", "forever"], { error: "Choose how long the discount lasts." }),
    duration_in_periods: z.string().optional(),
    max_redemptions: z.string().optional(),
    redeem_by: z.string().optional(),
    applies_to: z.string().optional(),
  }),
  async (input, _user, ctx) => {
    const fmt = await consoleFormatter();
    let percentOff: number | null = null;
    let amountOff: number | null = null;
    let currency: string | null = null;
    if (input.kind === "percent") {
      const raw = (input.percent_off ?? "").trim();
      if (!/^\d{1,3}(\.\d{1,2})?$/.test(raw)) throw new AppError("validation_failed", { param: "percent_off", userMessage: "Enter a percentage from 0.01 to 100, e.g. 25." });
      percentOff = Number(raw);
    } else {
      currency = currencyCode(input.currency);
      amountOff = minorUnits(input.amount_off, currency, "amount_off");
    }
    const coupon = await withFieldNames({ "applies_to.plans[0]": "applies_to" }, () =>
      createCoupon(ctx, {
        name: input.name || null,
        percentOff,
        amountOff,
        currency,
        duration: input.duration,
        durationInPeriods: input.duration === "repeating" ? wholeNumber(input.duration_in_periods, "duration_in_periods", { min: 1, max: 120 }) : null,
        maxRedemptions: wholeNumber(input.max_redemptions, "max_redemptions", { min: 1, max: 2_147_483_647, optional: true }),
        redeemBy: endOfDayUtc(input.redeem_by, "redeem_by"),
        appliesToPlans: input.applies_to ? [input.applies_to] : null,
      }),
    );
    redirect(`/admin/catalog/coupons/${coupon.id}?notice=${encodeURIComponent(`Created ${coupon.name}: ${couponTermsLabel(coupon, fmt)}. Add a promotion code so customers can enter it.`)}`);
  },
);

export const invalidateCouponAction = validatedAction("catalog.write", z.object({ couponId: z.string().min(1) }), async (input, _user, ctx) => {
  const coupon = await invalidateCoupon(ctx, input.couponId);
  revalidatePath("/admin/catalog/coupons");
  revalidatePath(`/admin/catalog/coupons/${coupon.id}`);
  return { ok: true, message: `${coupon.name} can no longer be redeemed. Subscriptions that have it keep their discount.` };
});

export const createPromotionCodeAction = validatedAction(
  "catalog.write",
  z.object({ couponId: z.string().min(1), code: z.string().trim(), max_redemptions: z.string().optional(), expires_at: z.string().optional() }),
  async (input, _user, ctx) => {
    const code = await createPromotionCode(ctx, {
      couponId: input.couponId,
      code: input.code,
      maxRedemptions: wholeNumber(input.max_redemptions, "max_redemptions", { min: 1, max: 2_147_483_647, optional: true }),
      expiresAt: endOfDayUtc(input.expires_at, "expires_at"),
    });
    revalidatePath(`/admin/catalog/coupons/${input.couponId}`);
    return { ok: true, message: `Customers can now enter ${code.code}.` };
  },
);

export const setPromotionCodeActiveAction = validatedAction(
  "catalog.write",
  z.object({ couponId: z.string().min(1), promotionCodeId: z.string().min(1), active: z.enum(["true", "false"]) }),
  async (input, _user, ctx) => {
    const code = await updatePromotionCode(ctx, input.promotionCodeId, { active: input.active === "true" });
    revalidatePath(`/admin/catalog/coupons/${input.couponId}`);
    return { ok: true, message: code.active ? `${code.code} is active again.` : `${code.code} is off: customers can no longer enter it.` };
  },
);
