import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { createdAt, currency, money, ts } from "./columns";
import { customers } from "./customers";
import { billingReasons, invoiceStatuses } from "@/lib/billing/invoices/statuses";
import type { TaxAmount } from "@/lib/billing/types";

/**
 * Invoices. What lives only in migrations (drizzle cannot declare it):
 * - immutable once finalized: an AFTER UPDATE trigger per statement refuses any change to a
 *   finalized invoice's frozen columns, and a BEFORE DELETE trigger refuses deleting one (0004, 0021);
 * - fillfactor 50, so the updates a renewal's invoice gets (paid, amount remaining) stay on its page
 *   as heap-only tuples (0022; bench/RESULTS.md P6).
 */
export const invoices = pgTable(
  "invoices",
  {
    id: text("id").primaryKey(),
    number: text("number"),
    customerId: text("customer_id").notNull().references(() => customers.id),
    subscriptionId: text("subscription_id"),
    status: text("status", { enum: invoiceStatuses }).notNull(),
    billingReason: text("billing_reason", { enum: billingReasons }).notNull(),
    currency: currency(),
    periodStart: ts("period_start"),
    periodEnd: ts("period_end"),
    subtotal: money("subtotal").notNull(),
    discountTotal: money("discount_total").notNull().default(0),
    tax: money("tax").notNull().default(0),
    total: money("total").notNull(),
    creditApplied: money("credit_applied").notNull().default(0),
    /** A debit on the customer's balance (earlier amounts below the minimum charge) this invoice collects: added to its amount due. */
    debitApplied: money("debit_applied").notNull().default(0),
    amountDue: money("amount_due").notNull(),
    amountPaid: money("amount_paid").notNull().default(0),
    amountRemaining: money("amount_remaining").notNull(),
    /**
     * An amount due below the currency's minimum charge, settled without a charge by moving it to
     * the customer's balance as a debit that the next invoice collects (Stripe Billing's rule; decision 023).
     */
    carriedToBalance: money("carried_to_balance").notNull().default(0),
    collectionMethod: text("collection_method").$type<"charge_automatically" | "send_invoice">().notNull(),
    /** send_invoice terms: the due date is this many days after finalization (null: 30). */
    daysUntilDue: integer("days_until_due"),
    dueDate: ts("due_date"),
    finalizedAt: ts("finalized_at"),
    /** When the retry schedule next charges this open invoice (null: no automatic retry planned). */
    nextPaymentAttemptAt: ts("next_payment_attempt_at"),
    paidAt: ts("paid_at"),
    voidedAt: ts("voided_at"),
    hostedToken: text("hosted_token").notNull(),
    couponId: text("coupon_id"),
    /** Credit notes issued against this invoice, in minor units (reduce the amount remaining when open). */
    amountCredited: money("amount_credited").notNull().default(0),
    /** When a credit balance exceeded the charges, the excess returned to the customer's balance. */
    excessCredited: money("excess_credited").notNull().default(0),
    livemode: boolean("livemode").notNull().default(false),
    metadata: jsonb("metadata").$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index("invoices_customer_idx").on(t.customerId, t.createdAt),
    index("invoices_subscription_idx").on(t.subscriptionId),
    uniqueIndex("invoices_number_key").on(t.number),
    uniqueIndex("invoices_hosted_token_key").on(t.hostedToken),
    index("invoices_finalized_at_idx").on(t.finalizedAt).where(sql`finalized_at is not null`),
    index("invoices_voided_at_idx").on(t.voidedAt).where(sql`voided_at is not null`),
    index("invoices_next_attempt_idx").on(t.nextPaymentAttemptAt).where(sql`next_payment_attempt_at is not null`),
    // Nothing bills twice: one recurring invoice per (subscription, period).
    uniqueIndex("invoices_subscription_period_key")
      .on(t.subscriptionId, t.periodStart)
      .where(sql`billing_reason in ('subscription_create', 'subscription_cycle')`),
  ],
);

/**
 * Lines of an invoice. In migrations only: the key onto invoices is DEFERRABLE INITIALLY IMMEDIATE,
 * so the batched renewal writes the lines before their invoice and checks the key when it sets it
 * back to immediate (0020; lib/services/renewals/renew-batch.ts); statement-level triggers refuse
 * inserting, changing or deleting lines of a finalized invoice (0004, 0021).
 */
export const invoiceLines = pgTable(
  "invoice_lines",
  {
    id: text("id").primaryKey(),
    invoiceId: text("invoice_id").notNull().references(() => invoices.id),
    position: integer("position").notNull(),
    description: text("description").notNull(),
    amount: money("amount").notNull(),
    quantity: integer("quantity").notNull(),
    unitAmount: money("unit_amount"),
    periodStart: ts("period_start"),
    periodEnd: ts("period_end"),
    proration: boolean("proration").notNull().default(false),
    priceId: text("price_id"),
    discountAmount: money("discount_amount").notNull().default(0),
    taxAmounts: jsonb("tax_amounts").$type<TaxAmount[]>().notNull().default([]),
  },
  (t) => [index("invoice_lines_invoice_idx").on(t.invoiceId, t.position), index("invoice_lines_period_end_idx").on(t.periodEnd)],
);

/** Gap-free invoice numbers: one counter row per series, incremented under a row lock at finalization. */
export const invoiceNumberSeries = pgTable("invoice_number_series", {
  series: text("series").primaryKey(),
  prefix: text("prefix").notNull(),
  nextNumber: integer("next_number").notNull().default(1),
});
