import { apiRoute } from "@/lib/api/handler";
import { deleteCouponOp, retrieveCouponOp, updateCouponOp } from "@/lib/api/operations/discounts";
import { toCoupon } from "@/lib/api/resources/coupon";
import { couponForKey } from "@/lib/api/scope";
import { invalidateCoupon } from "@/lib/services/discounts/invalidate-coupon";
import { updateCoupon } from "@/lib/services/discounts/update-coupon";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrieveCouponOp, async ({ db, apiKey, params }) => toCoupon(await couponForKey(db, params.id, apiKey.livemode)));

export const PATCH = apiRoute(updateCouponOp, async ({ db, actor, apiKey, now, requestId, params, body }) => {
  await couponForKey(db, params.id, apiKey.livemode);
  return toCoupon(await updateCoupon({ db, actor, now, requestId }, params.id, { name: body.name, metadata: body.metadata }));
});

export const DELETE = apiRoute(deleteCouponOp, async ({ db, actor, apiKey, now, requestId, params }) => {
  await couponForKey(db, params.id, apiKey.livemode);
  return toCoupon(await invalidateCoupon({ db, actor, now, requestId }, params.id));
});
