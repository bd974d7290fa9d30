import { and, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import type { CouponRow } from "@/db/queries/discounts";
import { coupons } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "../context";
import { normalizeCouponTerms } from "../discounts/coupon-terms";

export interface RetentionCouponTerms {
  percent: number;
  months: number;
  /** Invoices the discount covers (months ÷ the plan's interval count). */
  periods: number;
  /** The subscription's mode: a coupon applies only to subscriptions of its own mode. */
  livemode: boolean;
}

export const retentionCouponName = (percent: number, months: number) => `Retention ${percent}% × ${months} month${months === 1 ? "" : "s"}`;

/**
 * The coupon behind a retention discount, e.g. "Retention 25% × 3 months": one per terms and mode,
 * reused by every subscriber who accepts the same offer (so staff see its redemptions in one
 * place). Created here rather than through createCoupon because a portal subscriber's coupon must
 * be in the subscription's mode, while createCoupon takes the mode from an API key; the terms go
 * through the same normalizeCouponTerms, and creation is audited and announced the same way.
 */
export async function retentionCoupon(tx: Tx, ctx: ServiceContext, terms: RetentionCouponTerms, now: Date): Promise<CouponRow> {
  const marker = `${terms.percent}x${terms.periods}`;
  const [existing] = await tx
    .select()
    .from(coupons)
    .where(
      and(
        sql`${coupons.metadata}->>'retention_offer' = ${marker}`,
        eq(coupons.livemode, terms.livemode),
        eq(coupons.valid, true),
        eq(coupons.duration, "repeating"),
        eq(coupons.percentOffBps, terms.percent * 100),
        eq(coupons.durationInPeriods, terms.periods),
        isNull(coupons.appliesToPlans),
        isNull(coupons.maxRedemptions),
        isNull(coupons.redeemBy),
      ),
    )
    .limit(1);
  if (existing) return existing;
  const normalized = normalizeCouponTerms(
    { name: retentionCouponName(terms.percent, terms.months), percentOff: terms.percent, duration: "repeating", durationInPeriods: terms.periods },
    now,
  );
  const [row] = await tx
    .insert(coupons)
    .values({ id: newId("coupon"), ...normalized, appliesToPlans: null, valid: true, livemode: terms.livemode, metadata: { retention_offer: marker }, createdAt: now })
    .returning();
  if (!row) throw new Error("coupon insert returned nothing");
  await recordAudit(tx, ctx.actor, { action: "coupon.created", entityType: "coupon", entityId: row.id, after: row }, ctx.now, ctx.requestId);
  await enqueueEvent(tx, { type: "coupon.created", entityId: row.id, payload: { coupon: row.id } }, now);
  return row;
}
