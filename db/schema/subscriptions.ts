import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, bigserial } from "drizzle-orm/pg-core";
import { createdAt, money, ts } from "./columns";
import { customers } from "./customers";
import { prices } from "./catalog";
import { subscriptionStatuses } from "@/lib/billing/subscriptions/statuses";

export interface PendingChange {
  items: { price: string; quantity: number }[];
  effective_at: string;
  requested_at: string;
}

export const subscriptions = pgTable(
  "subscriptions",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id").notNull().references(() => customers.id),
    status: text("status", { enum: subscriptionStatuses }).notNull(),
    currency: text("currency").notNull(),
    billingCycleAnchor: ts("billing_cycle_anchor").notNull(),
    currentPeriodStart: ts("current_period_start").notNull(),
    currentPeriodEnd: ts("current_period_end").notNull(),
    trialStart: ts("trial_start"),
    trialEnd: ts("trial_end"),
    cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
    canceledAt: ts("canceled_at"),
    endedAt: ts("ended_at"),
    collectionMethod: text("collection_method")
      .$type<"charge_automatically" | "send_invoice">()
      .notNull()
      .default("charge_automatically"),
    daysUntilDue: integer("days_until_due"),
    latestInvoiceId: text("latest_invoice_id"),
    /** A change scheduled for the end of the current period (downgrades), applied by the renewal. */
    pendingChange: jsonb("pending_change").$type<PendingChange | null>(),
    pausedAt: ts("paused_at"),
    pauseResumesAt: ts("pause_resumes_at"),
    couponId: text("coupon_id"),
    promotionCodeId: text("promotion_code_id"),
    discountStart: ts("discount_start"),
    /** How many invoices the coupon has discounted so far (for `repeating` coupons). */
    discountPeriodsApplied: integer("discount_periods_applied").notNull().default(0),
    cancellationReason: text("cancellation_reason"),
    /** When something next happens by itself (renewal, trial end, resume…): the billing run's index. */
    nextDueAt: ts("next_due_at"),
    testClockId: text("test_clock_id"),
    /** Notify at 80% and 100% of this projected usage cost per period (minor units, the subscription's currency); null: none. drizzle/0036. */
    usageSpendThreshold: money("usage_spend_threshold"),
    livemode: boolean("livemode").notNull().default(false),
    metadata: jsonb("metadata").$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index("subscriptions_customer_idx").on(t.customerId),
    index("subscriptions_status_idx").on(t.status),
    index("subscriptions_next_due_idx").on(t.nextDueAt).where(sql`next_due_at is not null`),
  ],
);

export const subscriptionItems = pgTable(
  "subscription_items",
  {
    id: text("id").primaryKey(),
    subscriptionId: text("subscription_id").notNull().references(() => subscriptions.id),
    priceId: text("price_id").notNull().references(() => prices.id),
    quantity: integer("quantity").notNull().default(1),
    /** The item's place in the subscription: invoices list lines in this order. */
    position: integer("position").notNull().default(0),
    /** A metered item measures its meter from here (null: its period's start); drizzle/0031. */
    usageFrom: ts("usage_from"),
    createdAt: createdAt(),
  },
  (t) => [index("subscription_items_subscription_idx").on(t.subscriptionId)],
);

/** Every state change of a subscription, in order. */
export const subscriptionStatusHistory = pgTable(
  "subscription_status_history",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    subscriptionId: text("subscription_id").notNull().references(() => subscriptions.id),
    fromStatus: text("from_status", { enum: subscriptionStatuses }),
    toStatus: text("to_status", { enum: subscriptionStatuses }).notNull(),
    reason: text("reason").notNull(),
    at: ts("at").notNull(),
  },
  (t) => [
    index("subscription_status_history_sub_idx").on(t.subscriptionId, t.id),
    // Trials that ended in a period (analytics; drizzle/0041).
    index("subscription_status_history_trial_end_idx").on(t.at).where(sql`from_status = 'trialing'`),
  ],
);
