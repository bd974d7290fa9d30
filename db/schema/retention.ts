import { boolean, index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { ts } from "./columns";
import { customers } from "./customers";
import { subscriptions } from "./subscriptions";

/** Why a subscriber wants to cancel: the survey's answers, in the order the portal lists them. */
export const cancellationReasons = ["too_expensive", "not_using", "missing_feature", "switching", "technical_issues", "other"] as const;
export type CancellationReason = (typeof cancellationReasons)[number];

/**
 * What the cancel flow offers for a reason. Percent is whole percent (1–100), months 1–12; a pause
 * lasts 1–3 months; a cheaper plan is a plan id, or null for "the next cheaper plan".
 */
export type RetentionOfferTerms =
  | { kind: "discount"; percent: number; months: number }
  | { kind: "pause"; maxMonths: number }
  | { kind: "cheaper_plan"; planId: string | null }
  | { kind: "contact_support"; message: string; url: string | null }
  | { kind: "none" };
export type RetentionOfferKind = RetentionOfferTerms["kind"];

/** Staff's offer per reason. A reason without a row uses the built-in default (lib/services/retention/defaults.ts). */
export const retentionOffers = pgTable("retention_offers", {
  reason: text("reason").$type<CancellationReason>().primaryKey(),
  offer: jsonb("offer").$type<RetentionOfferTerms>().notNull(),
  enabled: boolean("enabled").notNull().default(true),
  updatedAt: ts("updated_at").notNull(),
  updatedBy: text("updated_by"),
});

export const retentionOutcomes = ["accepted_discount", "paused", "switched_plan", "contacted_support", "canceled", "abandoned"] as const;
export type RetentionOutcome = (typeof retentionOutcomes)[number];

/** The offer as the subscriber saw it: its terms then, and what it concretely meant (e.g. the plan named). */
export interface OfferSnapshot {
  terms: RetentionOfferTerms;
  /** For cheaper_plan: the plan and price resolved when shown. */
  plan?: { id: string; name: string; priceId: string; unitAmount: number; currency: string } | null;
  /** For discount: how many invoices the coupon covers (months ÷ the plan's interval). */
  periods?: number;
}

/**
 * One pass through the cancel flow: the reason, the offer shown (or why none was), and what the
 * subscriber decided. An attempt without an outcome is still in progress; a newer attempt for the
 * same subscription marks it abandoned.
 */
export const cancellationAttempts = pgTable(
  "cancellation_attempts",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id").notNull().references(() => customers.id),
    subscriptionId: text("subscription_id").notNull().references(() => subscriptions.id),
    reason: text("reason").$type<CancellationReason>().notNull(),
    reasonText: text("reason_text"),
    offer: jsonb("offer").$type<OfferSnapshot | null>(),
    /** Why the configured offer was not shown (disabled, shown recently, not applicable…), null when shown or none configured. */
    offerWithheld: text("offer_withheld"),
    outcome: text("outcome").$type<RetentionOutcome | null>(),
    startedAt: ts("started_at").notNull(),
    decidedAt: ts("decided_at"),
    /** When the outcome takes effect: the cancellation or plan change date, the pause's resume date, the discount's start. */
    effectiveAt: ts("effective_at"),
    couponId: text("coupon_id"),
    livemode: boolean("livemode").notNull().default(false),
  },
  (t) => [
    index("cancellation_attempts_subscription_idx").on(t.subscriptionId, t.startedAt),
    index("cancellation_attempts_customer_idx").on(t.customerId),
    index("cancellation_attempts_started_idx").on(t.startedAt),
  ],
);
