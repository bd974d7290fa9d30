import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { redeemDiscount, resolveDiscount } from "../discounts/resolve-discount";
import { saveSubscriptionState } from "./save-state";
import { withSubscription } from "./with-subscription";
import type { SubscriptionRow } from "@/db/queries/subscriptions";

/**
 * Apply a coupon or promotion code to a live subscription: it discounts the next invoices for the
 * coupon's duration, counted from the next invoice. Replaces any current coupon.
 */
export async function applyDiscount(ctx: ServiceContext, subscriptionId: string, input: { couponId?: string | null; promotionCode?: string | null }): Promise<SubscriptionRow> {
  return withSubscription(ctx, subscriptionId, async ({ tx, row, state, now }) => {
    if (row.status === "canceled" || row.status === "incomplete_expired") throw new AppError("conflict", { userMessage: "This subscription has ended." });
    const resolved = await resolveDiscount(tx, {
      couponId: input.couponId,
      promotionCode: input.promotionCode,
      planIds: state.items.map((i) => i.plan.id),
      currency: row.currency,
      at: now,
      livemode: row.livemode,
    });
    if (!resolved) throw new AppError("validation_failed", { param: "coupon", userMessage: "Pass a coupon or a promotion_code." });
    await redeemDiscount(tx, resolved.coupon, resolved.promotionCode);
    const subscription = await saveSubscriptionState(tx, ctx.actor, row, state, { ...state, discount: null }, now, {
      extra: { couponId: resolved.coupon.id, promotionCodeId: resolved.promotionCode?.id ?? null, discountStart: now, discountPeriodsApplied: 0 },
    }, ctx.applyMode);
    await recordAudit(tx, ctx.actor, { action: "subscription.discount_applied", entityType: "subscription", entityId: row.id, before: { coupon: row.couponId }, after: { coupon: resolved.coupon.id, promotion_code: resolved.promotionCode?.id ?? null } }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "customer.discount.created", customerId: row.customerId, entityId: row.id, payload: { subscription: row.id, coupon: resolved.coupon.id } }, now);
    return subscription;
  });
}

/** Remove the subscription's coupon: later invoices are billed in full. */
export async function removeDiscount(ctx: ServiceContext, subscriptionId: string): Promise<SubscriptionRow> {
  return withSubscription(ctx, subscriptionId, async ({ tx, row, state, now }) => {
    if (!row.couponId) throw new AppError("conflict", { userMessage: "This subscription has no discount." });
    const subscription = await saveSubscriptionState(tx, ctx.actor, row, state, { ...state, discount: null }, now, {
      extra: { couponId: null, promotionCodeId: null, discountStart: null, discountPeriodsApplied: 0 },
    }, ctx.applyMode);
    await recordAudit(tx, ctx.actor, { action: "subscription.discount_removed", entityType: "subscription", entityId: row.id, before: { coupon: row.couponId }, after: { coupon: null } }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "customer.discount.deleted", customerId: row.customerId, entityId: row.id, payload: { subscription: row.id } }, now);
    return subscription;
  });
}
