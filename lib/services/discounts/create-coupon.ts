import { coupons } from "@/db/schema";
import { findPlans } from "@/db/queries/catalog";
import type { CouponRow } from "@/db/queries/discounts";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "../context";
import { normalizeCouponTerms, type CouponTermsInput } from "./coupon-terms";

export interface CreateCouponInput extends CouponTermsInput {
  /** Restrict the coupon to these plans; null or absent for every plan. */
  appliesToPlans?: string[] | null;
  metadata?: Record<string, string>;
}

/** A coupon lives in the mode of the key that created it (test or live), like customers. */
export async function createCoupon(ctx: ServiceContext, input: CreateCouponInput): Promise<CouponRow> {
  const terms = normalizeCouponTerms(input, ctx.now);
  const planIds = input.appliesToPlans == null ? null : [...new Set(input.appliesToPlans)];
  return ctx.db.transaction(async (tx) => {
    if (planIds) {
      const found = new Set((await findPlans(tx, planIds)).map((p) => p.id));
      const missing = (input.appliesToPlans ?? []).findIndex((id) => !found.has(id));
      if (missing >= 0) throw notFound("plan", `applies_to.plans[${missing}]`);
    }
    const [row] = await tx
      .insert(coupons)
      .values({
        id: newId("coupon"),
        ...terms,
        appliesToPlans: planIds,
        valid: true,
        livemode: ctx.actor.type === "api_key" ? ctx.actor.livemode : false,
        metadata: input.metadata ?? {},
        createdAt: ctx.now,
      })
      .returning();
    if (!row) throw new Error("coupon insert returned nothing");
    await recordAudit(tx, ctx.actor, { action: "coupon.created", entityType: "coupon", entityId: row.id, after: row }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "coupon.created", entityId: row.id, payload: { coupon: row.id } }, ctx.now);
    return row;
  });
}
