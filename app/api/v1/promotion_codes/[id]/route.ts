import { findCoupon } from "@/db/queries/discounts";
import type { PromotionCodeRow } from "@/db/queries/discounts";
import type { Executor } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { retrievePromotionCodeOp, updatePromotionCodeOp } from "@/lib/api/operations/discounts";
import { toPromotionCode } from "@/lib/api/resources/promotion-code";
import { promotionCodeForKey } from "@/lib/api/scope";
import { updatePromotionCode } from "@/lib/services/discounts/update-promotion-code";

export const dynamic = "force-dynamic";

async function withCoupon(db: Executor, row: PromotionCodeRow) {
  const coupon = await findCoupon(db, row.couponId);
  if (!coupon) throw new Error(`promotion code ${row.id} has no coupon`);
  return toPromotionCode(row, coupon);
}

export const GET = apiRoute(retrievePromotionCodeOp, async ({ db, apiKey, params }) => withCoupon(db, await promotionCodeForKey(db, params.id, apiKey.livemode)));

export const PATCH = apiRoute(updatePromotionCodeOp, async ({ db, actor, apiKey, now, requestId, params, body }) => {
  await promotionCodeForKey(db, params.id, apiKey.livemode);
  return withCoupon(db, await updatePromotionCode({ db, actor, now, requestId }, params.id, { active: body.active }));
});
