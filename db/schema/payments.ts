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
    livemode: boolean("livemode").notNull().default(false),
    createdAt: createdAt(),
    settledAt: ts("settled_at"),
  },
  (t) => [
    uniqueIndex("payments_idempotency_key").on(t.idempotencyKey),
    index("payments_invoice_idx").on(t.invoiceId),
    index("payments_customer_idx").on(t.customerId, t.createdAt),
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
