import { apiRoute } from "@/lib/api/handler";
import { applyDiscountOp, removeDiscountOp } from "@/lib/api/operations/subscriptions";
import { toSubscription } from "@/lib/api/resources/subscription";
import { subscriptionForKey } from "@/lib/api/scope";
import { applyDiscount, removeDiscount } from "@/lib/services/subscriptions/apply-discount";

export const dynamic = "force-dynamic";

export const POST = apiRoute(applyDiscountOp, async ({ db, actor, apiKey, now, requestId, params, body }) => {
  await subscriptionForKey(db, params.id, apiKey.livemode);
  await applyDiscount({ db, actor, now, requestId }, params.id, { couponId: body.coupon, promotionCode: body.promotion_code });
  return toSubscription(await subscriptionForKey(db, params.id, apiKey.livemode));
});

export const DELETE = apiRoute(removeDiscountOp, async ({ db, actor, apiKey, now, requestId, params }) => {
  await subscriptionForKey(db, params.id, apiKey.livemode);
  await removeDiscount({ db, actor, now, requestId }, params.id);
  return toSubscription(await subscriptionForKey(db, params.id, apiKey.livemode));
});
