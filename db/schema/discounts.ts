import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { createdAt, money, ts } from "./columns";

export type CouponDuration = "once" | "repeating" | "forever";

export const coupons = pgTable("coupons", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** Percent off in basis points (2550 = 25.5%), or null for an amount-off coupon. */
  percentOffBps: integer("percent_off_bps"),
  amountOff: money("amount_off"),
  currency: text("currency"),
  duration: text("duration").$type<CouponDuration>().notNull(),
  durationInPeriods: integer("duration_in_periods"),
  maxRedemptions: integer("max_redemptions"),
  timesRedeemed: integer("times_redeemed").notNull().default(0),
  redeemBy: ts("redeem_by"),
  appliesToPlans: jsonb("applies_to_plans").$type<string[] | null>(),
  valid: boolean("valid").notNull().default(true),
  livemode: boolean("livemode").notNull().default(false),
  metadata: jsonb("metadata").$type<Record<string, string>>().notNull().default({}),
  createdAt: createdAt(),
});

export const promotionCodes = pgTable(
  "promotion_codes",
  {
    id: text("id").primaryKey(),
    code: text("code").notNull(),
    couponId: text("coupon_id").notNull().references(() => coupons.id),
    active: boolean("active").notNull().default(true),
    maxRedemptions: integer("max_redemptions"),
    timesRedeemed: integer("times_redeemed").notNull().default(0),
    expiresAt: ts("expires_at"),
    livemode: boolean("livemode").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("promotion_codes_code_key").on(sql`lower(${t.code})`)],
);

/** The customer credit ledger: positive amounts are credit in the customer's favour, negative ones a debit (owed, collected by the next invoice). */
export const balanceTransactions = pgTable(
  "balance_transactions",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id").notNull(),
    amount: money("amount").notNull(),
    currency: text("currency").notNull(),
    type: text("type").$type<"credit_grant" | "applied_to_invoice" | "proration_credit" | "credit_note" | "invoice_excess" | "invoice_too_small" | "adjustment">().notNull(),
    description: text("description").notNull(),
    invoiceId: text("invoice_id"),
    creditNoteId: text("credit_note_id"),
    endingBalance: money("ending_balance").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("balance_transactions_customer_idx").on(t.customerId, t.createdAt)],
);

/** Charges waiting for the customer's next invoice: prorations (create_prorations) and one-offs. */
export const pendingInvoiceItems = pgTable(
  "pending_invoice_items",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id").notNull(),
    subscriptionId: text("subscription_id"),
    description: text("description").notNull(),
    amount: money("amount").notNull(),
    quantity: integer("quantity").notNull().default(1),
    unitAmount: money("unit_amount"),
    currency: text("currency").notNull(),
    taxBehavior: text("tax_behavior").$type<"inclusive" | "exclusive">().notNull(),
    periodStart: ts("period_start"),
    periodEnd: ts("period_end"),
    proration: boolean("proration").notNull().default(false),
    priceId: text("price_id"),
    invoiceId: text("invoice_id"),
    createdAt: createdAt(),
  },
  (t) => [index("pending_invoice_items_open_idx").on(t.customerId, t.subscriptionId).where(sql`invoice_id is null`)],
);

export const creditNotes = pgTable(
  "credit_notes",
  {
    id: text("id").primaryKey(),
    number: text("number").notNull(),
    invoiceId: text("invoice_id").notNull(),
    customerId: text("customer_id").notNull(),
    currency: text("currency").notNull(),
    /** Total credited including tax, in minor units. */
    amount: money("amount").notNull(),
    tax: money("tax").notNull().default(0),
    reason: text("reason").$type<"duplicate" | "fraudulent" | "order_change" | "product_unsatisfactory" | "other">().notNull(),
    outcome: text("outcome").$type<"refund" | "credit" | "out_of_band" | "reduce_amount_due">().notNull(),
    memo: text("memo"),
    status: text("status").$type<"issued" | "void">().notNull().default("issued"),
    livemode: boolean("livemode").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index("credit_notes_invoice_idx").on(t.invoiceId), uniqueIndex("credit_notes_number_key").on(t.number), index("credit_notes_created_idx").on(t.createdAt)],
);

export const creditNoteLines = pgTable(
  "credit_note_lines",
  {
    id: text("id").primaryKey(),
    creditNoteId: text("credit_note_id").notNull().references(() => creditNotes.id),
    invoiceLineId: text("invoice_line_id"),
    description: text("description").notNull(),
    amount: money("amount").notNull(),
    tax: money("tax").notNull().default(0),
  },
  (t) => [index("credit_note_lines_invoice_line_idx").on(t.invoiceLineId)],
);
