import { eq } from "drizzle-orm";
import { coupons } from "@/db/schema";
import { keysetPage } from "@/db/queries/paginate";
import { apiRoute } from "@/lib/api/handler";
import { createCouponOp, listCouponsOp } from "@/lib/api/operations/discounts";
import { toList } from "@/lib/api/pagination";
import { toCoupon } from "@/lib/api/resources/coupon";
import { createCoupon } from "@/lib/services/discounts/create-coupon";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createCouponOp, async ({ db, actor, now, requestId, body }) => {
  const row = await createCoupon(
    { db, actor, now, requestId },
    {
      name: body.name,
      percentOff: body.percent_off,
      amountOff: body.amount_off,
      currency: body.currency,
      duration: body.duration,
      durationInPeriods: body.duration_in_periods,
      maxRedemptions: body.max_redemptions,
      redeemBy: body.redeem_by,
      appliesToPlans: body.applies_to?.plans,
      metadata: body.metadata,
    },
  );
  return toCoupon(row);
});

export const GET = apiRoute(listCouponsOp, async ({ db, apiKey, query, req }) => {
  const where = eq(coupons.livemode, apiKey.livemode);
  const { rows, direction } = await keysetPage(db, coupons, where, { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  return toList(rows.map(toCoupon), query.limit, new URL(req.url).pathname, direction);
});
