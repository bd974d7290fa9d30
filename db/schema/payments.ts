import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, currency, money, ts } from "./columns";

export type PaymentStatus = "pending" | "requires_action" | "succeeded" | "failed";

export const payments = pgTable(
  "payments",
  {
    id: text("id").primaryKey(),
    invoiceId: text("invoice_id").notNull(),
    customerId: text("customer_id").notNull(),
    amount: money("amount").notNull(),
    currency: currency(),
    status: text("status").$type<PaymentStatus>().notNull(),
    failureCode: text("failure_code"),
    declineCode: text("decline_code"),
    failureMessage: text("failure_message"),
    paymentMethodId: text("payment_method_id"),
    method: text("method").$type<"card" | "bank_transfer" | "cheque" | "other">().notNull().default("card"),
    gateway: text("gateway").$type<"sandbox" | "stripe" | "manual">().notNull(),
    gatewayId: text("gateway_id"),
    idempotencyKey: text("idempotency_key").notNull(),
    attempt: integer("attempt").notNull(),
    amountRefunded: money("amount_refunded").notNull().default(0),
    fee: money("fee"),
    /** Radar's view of the charge (Stripe) or the sandbox's: normal | elevated | highest. */
    riskLevel: text("risk_level"),
    outcome: text("outcome"),
    livemode: boolean("livemode").notNull().default(false),
    createdAt: createdAt(),
    settledAt: ts("settled_at"),
  },
  (t) => [
    uniqueIndex("payments_idempotency_key").on(t.idempotencyKey),
    index("payments_invoice_idx").on(t.invoiceId),
    index("payments_gateway_id_idx").on(t.gatewayId),
    index("payments_customer_idx").on(t.customerId, t.createdAt),
    // The analytics summary counts a month's payments (0045).
    index("payments_created_at_idx").on(t.createdAt),
  ],
);

/**
 * The sandbox gateway's own ledger of charges, keyed by idempotency key like Stripe's: the same key
 * returns the stored result and never charges twice. Written outside Tally's transactions, as a
 * remote gateway would be.
 */
export const sandboxCharges = pgTable("sandbox_charges", {
  idempotencyKey: text("idempotency_key").primaryKey(),
  requestHash: text("request_hash").notNull(),
  result: jsonb("result").notNull(),
  createdAt: createdAt(),
});

/**
 * The sandbox gateway's ledger of refunds, keyed by idempotency key like sandbox_charges: the same
 * key returns the stored result and never refunds twice.
 */
export const sandboxRefunds = pgTable(
  "sandbox_refunds",
  {
    idempotencyKey: text("idempotency_key").primaryKey(),
    /** The charge refunded (its gateway id, `pi_sbx_…`). */
    paymentGatewayId: text("payment_gateway_id").notNull(),
    amount: money("amount").notNull(),
    requestHash: text("request_hash").notNull(),
    result: jsonb("result").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("sandbox_refunds_payment_idx").on(t.paymentGatewayId)],
);

export const refunds = pgTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    paymentId: text("payment_id").notNull(),
    invoiceId: text("invoice_id").notNull(),
    customerId: text("customer_id").notNull(),
    amount: money("amount").notNull(),
    currency: currency(),
    status: text("status").$type<"pending" | "succeeded" | "failed">().notNull(),
    reason: text("reason"),
    creditNoteId: text("credit_note_id"),
    gatewayId: text("gateway_id"),
    idempotencyKey: text("idempotency_key").notNull(),
    failureMessage: text("failure_message"),
    livemode: boolean("livemode").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("refunds_idempotency_key").on(t.idempotencyKey), index("refunds_payment_idx").on(t.paymentId)],
);

export const disputes = pgTable(
  "disputes",
  {
    id: text("id").primaryKey(),
    paymentId: text("payment_id").notNull(),
    invoiceId: text("invoice_id").notNull(),
    customerId: text("customer_id").notNull(),
    amount: money("amount").notNull(),
    currency: currency(),
    status: text("status").notNull(),
    reason: text("reason").notNull(),
    evidenceDueBy: ts("evidence_due_by"),
    fundsWithdrawn: boolean("funds_withdrawn").notNull().default(false),
    fundsReinstated: boolean("funds_reinstated").notNull().default(false),
    gatewayId: text("gateway_id").notNull(),
    livemode: boolean("livemode").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: ts("updated_at"),
  },
  (t) => [uniqueIndex("disputes_gateway_id_key").on(t.gatewayId), index("disputes_customer_idx").on(t.customerId)],
);

/** Every Stripe event received: the primary key is what makes a redelivered event a no-op. */
export const stripeEvents = pgTable(
  "stripe_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    livemode: boolean("livemode").notNull(),
    payload: jsonb("payload").notNull(),
    receivedAt: createdAt(),
    processedAt: ts("processed_at"),
    error: text("error"),
    /** Processing attempts (the route's after-response run, redeliveries, the sweeper); the sweeper gives up at 10. */
    attempts: integer("attempts").notNull().default(0),
  },
  (t) => [
    index("stripe_events_received_idx").on(t.receivedAt),
    // The sweeper's queue: only unprocessed rows, oldest first.
    index("stripe_events_unprocessed_idx").on(t.receivedAt).where(sql`processed_at is null`),
    // The data-retention run's delete of processed events (migration 0049).
    index("stripe_events_processed_received_idx").on(t.receivedAt).where(sql`processed_at is not null`),
  ],
);

/** Differences between Tally and the gateway that reconciliation could not settle: for staff. */
export const reconciliationItems = pgTable(
  "reconciliation_items",
  {
    id: text("id").primaryKey(),
    paymentId: text("payment_id"),
    kind: text("kind").notNull(),
    detail: text("detail").notNull(),
    status: text("status").$type<"open" | "resolved">().notNull().default("open"),
    createdAt: createdAt(),
    resolvedAt: ts("resolved_at"),
  },
  (t) => [index("reconciliation_items_open_idx").on(t.status, t.createdAt)],
);

/** Card-testing protection: emails, addresses and card fingerprints refused at card setup. */
export const blockList = pgTable(
  "block_list",
  {
    id: text("id").primaryKey(),
    kind: text("kind").$type<"email" | "ip" | "card_fingerprint">().notNull(),
    value: text("value").notNull(),
    reason: text("reason"),
    createdBy: text("created_by"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("block_list_kind_value_key").on(t.kind, t.value)],
);
