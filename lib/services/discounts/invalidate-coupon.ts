import { eq } from "drizzle-orm";
import { coupons } from "@/db/schema";
import { lockCoupon, type CouponRow } from "@/db/queries/discounts";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";

/**
 * DELETE /coupons/{id}: the coupon stops being redeemable (valid = false) but stays, because
 * subscriptions and invoices that already carry it keep their discount and must still show it.
 * Invalidating an invalid coupon changes nothing.
 */
export async function invalidateCoupon(ctx: ServiceContext, couponId: string): Promise<CouponRow> {
  return ctx.db.transaction(async (tx) => {
    const before = await lockCoupon(tx, couponId);
    if (!before) throw notFound("coupon", "id");
    if (!before.valid) return before;
    const [after] = await tx.update(coupons).set({ valid: false }).where(eq(coupons.id, couponId)).returning();
    if (!after) throw new Error("coupon vanished");
    await recordAudit(tx, ctx.actor, { action: "coupon.deleted", entityType: "coupon", entityId: couponId, before, after }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "coupon.deleted", entityId: couponId, payload: { coupon: couponId, valid: false } }, ctx.now);
    return after;
  });
}
