import { eq } from "drizzle-orm";
import { promotionCodes } from "@/db/schema";
import { findCoupon, lockPromotionCode, type PromotionCodeRow } from "@/db/queries/discounts";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";

export interface UpdatePromotionCodeInput {
  active?: boolean;
}

/** Turning a code off or back on; a code can come back only while its coupon is still valid. */
export async function updatePromotionCode(ctx: ServiceContext, promotionCodeId: string, input: UpdatePromotionCodeInput): Promise<PromotionCodeRow> {
  return ctx.db.transaction(async (tx) => {
    const before = await lockPromotionCode(tx, promotionCodeId);
    if (!before) throw notFound("promotion code", "id");
    if (input.active === undefined || input.active === before.active) return before;
    if (input.active) {
      const coupon = await findCoupon(tx, before.couponId);
      if (!coupon?.valid) throw new AppError("validation_failed", { param: "active", userMessage: "This promotion code's coupon is no longer valid, so the code cannot be reactivated." });
    }
    const [after] = await tx.update(promotionCodes).set({ active: input.active }).where(eq(promotionCodes.id, promotionCodeId)).returning();
    if (!after) throw new Error("promotion code vanished");
    await recordAudit(tx, ctx.actor, { action: "promotion_code.updated", entityType: "promotion_code", entityId: promotionCodeId, before, after }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "promotion_code.updated", entityId: promotionCodeId, payload: { promotion_code: promotionCodeId, active: after.active } }, ctx.now);
    return after;
  });
}
