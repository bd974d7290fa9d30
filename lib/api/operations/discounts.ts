import { z } from "zod";
import { MAX_DURATION_IN_PERIODS, MAX_REDEMPTIONS_LIMIT } from "@/lib/services/discounts/coupon-terms";
import { amountInCurrencyField, currencyField, dateTimeField, idField, metadataField, nameField } from "../fields";
import { defineOperation } from "../operation";
import { listOf, listQuery } from "../pagination";
import { couponResource } from "../resources/coupon";
import { promotionCodeResource } from "../resources/promotion-code";

const TAGS = ["Discounts"];
const maxRedemptionsField = z.number().int().min(1).max(MAX_REDEMPTIONS_LIMIT);

// Coupons

const couponParams = z.object({ id: idField("cpn") }).strict();

export const createCouponOp = defineOperation({
  method: "POST",
  path: "/coupons",
  operationId: "createCoupon",
  summary: "Create a coupon",
  description: "Exactly one of `percent_off`, or `amount_off` with `currency`. `duration_in_periods` is required with, and only with, `duration: repeating`.",
  tags: TAGS,
  body: z.object({
    name: nameField.min(1).optional(),
    percent_off: z
      .number()
      .gt(0)
      .max(100)
      .multipleOf(0.01, { message: "must have at most two decimal places, e.g. 25.5" })
      .optional()
      .meta({ description: "Percent off, 0 < percent_off ≤ 100, up to two decimals." }),
    amount_off: amountInCurrencyField.optional().meta({ description: "Minor units off each invoice, in `currency`." }),
    currency: currencyField.optional(),
    duration: z.enum(["once", "repeating", "forever"]),
    duration_in_periods: z.number().int().min(1).max(MAX_DURATION_IN_PERIODS).optional(),
    max_redemptions: maxRedemptionsField.optional(),
    redeem_by: dateTimeField.optional().meta({ description: "Last moment the coupon can be redeemed; must be in the future." }),
    applies_to: z
      .object({ plans: z.array(idField("plan")).min(1).max(100) })
      .strict()
      .optional()
      .meta({ description: "Restrict the coupon to these plans." }),
    metadata: metadataField.optional(),
  }),
  response: couponResource,
});

export const listCouponsOp = defineOperation({
  method: "GET",
  path: "/coupons",
  operationId: "listCoupons",
  summary: "List coupons, newest first",
  tags: TAGS,
  query: listQuery,
  response: listOf(couponResource),
});

export const retrieveCouponOp = defineOperation({
  method: "GET",
  path: "/coupons/{id}",
  operationId: "retrieveCoupon",
  summary: "Retrieve a coupon",
  tags: TAGS,
  params: couponParams,
  response: couponResource,
});

export const updateCouponOp = defineOperation({
  method: "PATCH",
  path: "/coupons/{id}",
  operationId: "updateCoupon",
  summary: "Update a coupon's name or metadata (its terms cannot change)",
  tags: TAGS,
  params: couponParams,
  body: z.object({ name: nameField.min(1).optional(), metadata: metadataField.optional() }),
  response: couponResource,
});

export const deleteCouponOp = defineOperation({
  method: "DELETE",
  path: "/coupons/{id}",
  operationId: "deleteCoupon",
  summary: "Invalidate a coupon",
  description: "The coupon can no longer be redeemed (`valid: false`); subscriptions that already have it keep their discount.",
  tags: TAGS,
  params: couponParams,
  response: couponResource,
});

// Promotion codes

const promotionCodeParams = z.object({ id: idField("promo") }).strict();

export const createPromotionCodeOp = defineOperation({
  method: "POST",
  path: "/promotion_codes",
  operationId: "createPromotionCode",
  summary: "Create a customer-facing code for a coupon",
  tags: TAGS,
  body: z.object({
    code: z
      .string()
      .min(3)
      .max(40)
      .regex(/^[A-Za-z0-9_-]+$/, { message: 'must contain only letters, digits, "_" and "-"' })
      .meta({ description: "Unique regardless of case.", example: "SPRING25" }),
    coupon: idField("cpn"),
    active: z.boolean().optional(),
    max_redemptions: maxRedemptionsField.optional(),
    expires_at: dateTimeField.optional().meta({ description: "When the code stops working; must be in the future." }),
  }),
  response: promotionCodeResource,
});

export const listPromotionCodesOp = defineOperation({
  method: "GET",
  path: "/promotion_codes",
  operationId: "listPromotionCodes",
  summary: "List promotion codes, newest first",
  tags: TAGS,
  query: listQuery.extend({
    code: z.string().max(40).optional().meta({ description: "The code, in any case." }),
    coupon: idField("cpn").optional(),
    active: z.enum(["true", "false"]).optional(),
  }),
  response: listOf(promotionCodeResource),
});

export const retrievePromotionCodeOp = defineOperation({
  method: "GET",
  path: "/promotion_codes/{id}",
  operationId: "retrievePromotionCode",
  summary: "Retrieve a promotion code",
  tags: TAGS,
  params: promotionCodeParams,
  response: promotionCodeResource,
});

export const updatePromotionCodeOp = defineOperation({
  method: "PATCH",
  path: "/promotion_codes/{id}",
  operationId: "updatePromotionCode",
  summary: "Activate or deactivate a promotion code",
  tags: TAGS,
  params: promotionCodeParams,
  body: z.object({ active: z.boolean().optional() }),
  response: promotionCodeResource,
});

export const discountOperations = [
  createCouponOp,
  listCouponsOp,
  retrieveCouponOp,
  updateCouponOp,
  deleteCouponOp,
  createPromotionCodeOp,
  listPromotionCodesOp,
  retrievePromotionCodeOp,
  updatePromotionCodeOp,
];
