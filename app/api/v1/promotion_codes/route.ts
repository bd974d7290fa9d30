import { and, eq, sql } from "drizzle-orm";
import { promotionCodes } from "@/db/schema";
import { couponsById, findCoupon } from "@/db/queries/discounts";
import { keysetPage } from "@/db/queries/paginate";
import { apiRoute } from "@/lib/api/handler";
import { createPromotionCodeOp, listPromotionCodesOp } from "@/lib/api/operations/discounts";
import { toList } from "@/lib/api/pagination";
import { toPromotionCode } from "@/lib/api/resources/promotion-code";
import { createPromotionCode } from "@/lib/services/discounts/create-promotion-code";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createPromotionCodeOp, async ({ db, actor, now, requestId, body }) => {
  const row = await createPromotionCode(
    { db, actor, now, requestId },
    { code: body.code, couponId: body.coupon, active: body.active, maxRedemptions: body.max_redemptions, expiresAt: body.expires_at },
  );
  const coupon = await findCoupon(db, row.couponId);
  if (!coupon) throw new Error(`promotion code ${row.id} has no coupon`);
  return toPromotionCode(row, coupon);
});

export const GET = apiRoute(listPromotionCodesOp, async ({ db, apiKey, query, req }) => {
  const where = and(
    eq(promotionCodes.livemode, apiKey.livemode),
    query.code ? sql`lower(${promotionCodes.code}) = lower(${query.code})` : undefined,
    query.coupon ? eq(promotionCodes.couponId, query.coupon) : undefined,
    query.active ? eq(promotionCodes.active, query.active === "true") : undefined,
  );
  const { rows, direction } = await keysetPage(db, promotionCodes, where, { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  const coupons = await couponsById(db, rows.map((r) => r.couponId));
  const data = rows.map((r) => {
    const coupon = coupons.get(r.couponId);
    if (!coupon) throw new Error(`promotion code ${r.id} has no coupon`);
    return toPromotionCode(r, coupon);
  });
  return toList(data, query.limit, new URL(req.url).pathname, direction);
});
