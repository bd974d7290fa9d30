import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { coupons, pendingInvoiceItems, plans, prices, subscriptionItems } from "@/db/schema";
import type { CustomerRow } from "@/db/queries/customers";
import type { SubscriptionRow, SubscriptionView } from "@/db/queries/subscriptions";
import type { CouponRow } from "@/db/queries/discounts";
import { orderPendingLines, type SubscriptionState } from "@/lib/billing/subscriptions/state";
import type { DiscountTerms, LineInput, SubscriptionItemTerms } from "@/lib/billing/types";
import { notFound } from "@/lib/errors";
import { toItemTerms } from "./item-terms";
import { withUsage } from "./load-usage";

export function couponTerms(coupon: CouponRow): DiscountTerms {
  return {
    couponId: coupon.id,
    percentOffBps: coupon.percentOffBps,
    amountOff: coupon.amountOff,
    currency: coupon.currency,
    appliesToPlans: coupon.appliesToPlans,
  };
}

/** Prices (with their plans) → the engine's item terms. A missing price is a 404 naming `param`. */
export async function itemTerms(tx: Executor, items: { price: string; quantity: number; usageFrom?: Date | null }[], param = "items"): Promise<SubscriptionItemTerms[]> {
  if (items.length === 0) return [];
  const rows = await tx
    .select({ price: prices, plan: plans })
    .from(prices)
    .innerJoin(plans, eq(plans.id, prices.planId))
    .where(inArray(prices.id, items.map((i) => i.price)));
  return items.map((item, i) => {
    const row = rows.find((r) => r.price.id === item.price);
    if (!row) throw notFound("price", `${param}[${i}].price`);
    return toItemTerms(row.price, row.plan, item.quantity, item.usageFrom ?? null);
  });
}

/**
 * Everything the engine needs about a subscription, loaded in the caller's transaction; metered
 * items' usage is measured up to `now` (the customer's now), or the period's end when that is earlier.
 */
export async function loadSubscriptionState(tx: Executor, sub: SubscriptionRow | SubscriptionView, customer: CustomerRow, now: Date): Promise<SubscriptionState> {
  const itemRows = await tx.select().from(subscriptionItems).where(eq(subscriptionItems.subscriptionId, sub.id)).orderBy(subscriptionItems.position);
  const items = await itemTerms(tx, itemRows.map((r) => ({ price: r.priceId, quantity: r.quantity, usageFrom: r.usageFrom })));
  const pending = sub.pendingChange
    ? { items: await itemTerms(tx, sub.pendingChange.items), effectiveAt: new Date(sub.pendingChange.effective_at) }
    : null;
  const [coupon] = sub.couponId ? await tx.select().from(coupons).where(eq(coupons.id, sub.couponId)) : [];
  const pendingRows = await tx
    .select()
    .from(pendingInvoiceItems)
    .where(and(eq(pendingInvoiceItems.subscriptionId, sub.id), isNull(pendingInvoiceItems.invoiceId)))
    .orderBy(pendingInvoiceItems.createdAt, pendingInvoiceItems.amount, pendingInvoiceItems.id);
  // A proration's price may no longer be on the subscription (the credit for a plan changed away
  // from): its plan still decides whether a plan-restricted coupon applies, as it did in the preview.
  const pendingPriceIds = [...new Set(pendingRows.flatMap((r) => (r.priceId ? [r.priceId] : [])))];
  const planOfPrice = new Map(
    pendingPriceIds.length ? (await tx.select({ id: prices.id, planId: prices.planId }).from(prices).where(inArray(prices.id, pendingPriceIds))).map((p) => [p.id, p.planId]) : [],
  );
  // Ids are random and a change's lines share `createdAt`: the engine's order, not insertion order,
  // is what every preview and invoice uses.
  const pendingLines: LineInput[] = orderPendingLines(pendingRows.map((row) => ({
    description: row.description,
    amount: row.amount,
    quantity: row.quantity,
    unitAmount: row.unitAmount,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    proration: row.proration,
    priceId: row.priceId,
    planId: row.priceId ? (planOfPrice.get(row.priceId) ?? null) : null,
    taxBehavior: row.taxBehavior,
  })));
  return withUsage(tx, subscriptionStateOf(sub, customer, { items, pendingChange: pending, coupon: coupon ?? null, pendingLines }), customer.id, now);
}

/**
 * The engine's state from rows already loaded: the one mapping, shared by loadSubscriptionState and
 * the batched billing run (which loads many subscriptions' rows in a few set queries).
 */
export function subscriptionStateOf(
  sub: SubscriptionRow | SubscriptionView,
  customer: CustomerRow,
  parts: { items: SubscriptionItemTerms[]; pendingChange: SubscriptionState["pendingChange"]; coupon: CouponRow | null; pendingLines: LineInput[] },
): SubscriptionState {
  const { items, coupon, pendingLines } = parts;
  return {
    status: sub.status,
    currency: sub.currency,
    timeZone: customer.timezone,
    anchor: sub.billingCycleAnchor,
    period: { start: sub.currentPeriodStart, end: sub.currentPeriodEnd },
    trialEnd: sub.trialEnd,
    cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
    pausedAt: sub.pausedAt,
    pauseResumesAt: sub.pauseResumesAt,
    items,
    pendingChange: parts.pendingChange,
    discount: coupon
      ? { terms: couponTerms(coupon), duration: coupon.duration, durationInPeriods: coupon.durationInPeriods, periodsApplied: sub.discountPeriodsApplied }
      : null,
    collectionMethod: sub.collectionMethod,
    hasPaymentMethod: customer.defaultPaymentMethodId !== null,
    pendingLines,
  };
}
