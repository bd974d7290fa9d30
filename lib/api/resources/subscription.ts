import { z } from "zod";
import type { SubscriptionView } from "@/db/queries/subscriptions";
import { subscriptionStatuses } from "@/lib/billing/subscriptions/statuses";
import { iso, isoOrNull, metadataOut, timestamp } from "./common";

export const subscriptionResource = z
  .object({
    id: z.string(),
    object: z.literal("subscription"),
    customer: z.string(),
    status: z.enum(subscriptionStatuses),
    currency: z.string(),
    items: z.array(z.object({ id: z.string(), price: z.string(), plan: z.string(), quantity: z.number().int() })),
    current_period_start: timestamp,
    current_period_end: timestamp,
    billing_cycle_anchor: timestamp,
    trial_start: timestamp.nullable(),
    trial_end: timestamp.nullable(),
    cancel_at_period_end: z.boolean(),
    canceled_at: timestamp.nullable(),
    ended_at: timestamp.nullable(),
    collection_method: z.enum(["charge_automatically", "send_invoice"]),
    days_until_due: z.number().int().nullable(),
    latest_invoice: z.string().nullable(),
    pending_change: z
      .object({ items: z.array(z.object({ price: z.string(), quantity: z.number().int() })), effective_at: timestamp })
      .nullable()
      .meta({ description: "A change scheduled for the end of the period, applied by the renewal." }),
    pause: z.object({ paused_at: timestamp, resumes_at: timestamp.nullable() }).nullable(),
    discount: z.object({ coupon: z.string(), periods_applied: z.number().int() }).nullable(),
    cancellation_reason: z.string().nullable(),
    next_due_at: timestamp.nullable().meta({ description: "When something next happens by itself (renewal, trial end, resume)." }),
    test_clock: z.string().nullable(),
    usage_spend_threshold: z
      .number()
      .int()
      .nullable()
      .meta({ description: "Notify when the period's projected usage cost reaches 80% and 100% of this (minor units of `currency`); null: none." }),
    livemode: z.boolean(),
    metadata: metadataOut,
    created: timestamp,
  })
  .meta({ id: "Subscription" });

export function toSubscription(row: SubscriptionView): z.input<typeof subscriptionResource> {
  return {
    id: row.id,
    object: "subscription",
    customer: row.customerId,
    status: row.status,
    currency: row.currency,
    items: row.items.map((i) => ({ id: i.id, price: i.price.id, plan: i.plan.id, quantity: i.quantity })),
    current_period_start: iso(row.currentPeriodStart),
    current_period_end: iso(row.currentPeriodEnd),
    billing_cycle_anchor: iso(row.billingCycleAnchor),
    trial_start: isoOrNull(row.trialStart),
    trial_end: isoOrNull(row.trialEnd),
    cancel_at_period_end: row.cancelAtPeriodEnd,
    canceled_at: isoOrNull(row.canceledAt),
    ended_at: isoOrNull(row.endedAt),
    collection_method: row.collectionMethod,
    days_until_due: row.daysUntilDue,
    latest_invoice: row.latestInvoiceId,
    pending_change: row.pendingChange ? { items: row.pendingChange.items, effective_at: row.pendingChange.effective_at } : null,
    pause: row.pausedAt ? { paused_at: iso(row.pausedAt), resumes_at: isoOrNull(row.pauseResumesAt) } : null,
    discount: row.couponId ? { coupon: row.couponId, periods_applied: row.discountPeriodsApplied } : null,
    cancellation_reason: row.cancellationReason,
    next_due_at: isoOrNull(row.nextDueAt),
    test_clock: row.testClockId,
    usage_spend_threshold: row.usageSpendThreshold,
    livemode: row.livemode,
    metadata: row.metadata,
    created: iso(row.createdAt),
  };
}
