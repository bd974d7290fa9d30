import { eq } from "drizzle-orm";
import { coupons } from "@/db/schema";
import { lockCoupon, type CouponRow } from "@/db/queries/discounts";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";

/** As in Stripe, a coupon's terms are fixed once created: only its name and metadata change. */
export interface UpdateCouponInput {
  name?: string;
  /** Merged into the existing metadata, key by key. */
  metadata?: Record<string, string>;
}

export async function updateCoupon(ctx: ServiceContext, couponId: string, input: UpdateCouponInput): Promise<CouponRow> {
  return ctx.db.transaction(async (tx) => {
    const before = await lockCoupon(tx, couponId);
    if (!before) throw notFound("coupon", "id");
    if (input.name === undefined && input.metadata === undefined) return before;
    const [after] = await tx
      .update(coupons)
      .set({ name: input.name, metadata: input.metadata ? { ...before.metadata, ...input.metadata } : undefined })
      .where(eq(coupons.id, couponId))
      .returning();
    if (!after) throw new Error("coupon vanished");
    await recordAudit(tx, ctx.actor, { action: "coupon.updated", entityType: "coupon", entityId: couponId, before, after }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "coupon.updated", entityId: couponId, payload: { coupon: couponId } }, ctx.now);
    return after;
  });
}
