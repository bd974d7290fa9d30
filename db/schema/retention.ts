import { boolean, index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { ts } from "./columns";
import { customers } from "./customers";
import { subscriptions } from "./subscriptions";
import { cancellationReasons, retentionOutcomes, type OfferSnapshot, type RetentionOfferTerms } from "@/lib/billing/retention/vocabulary";

/** Staff's offer per reason. A reason without a row uses the built-in default (lib/services/retention/defaults.ts). */
export const retentionOffers = pgTable("retention_offers", {
  reason: text("reason", { enum: cancellationReasons }).primaryKey(),
  offer: jsonb("offer").$type<RetentionOfferTerms>().notNull(),
  enabled: boolean("enabled").notNull().default(true),
  updatedAt: ts("updated_at").notNull(),
  updatedBy: text("updated_by"),
});

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
    reason: text("reason", { enum: cancellationReasons }).notNull(),
    reasonText: text("reason_text"),
    offer: jsonb("offer").$type<OfferSnapshot | null>(),
    /** Why the configured offer was not shown (disabled, shown recently, not applicable…), null when shown or none configured. */
    offerWithheld: text("offer_withheld"),
    outcome: text("outcome", { enum: retentionOutcomes }),
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
