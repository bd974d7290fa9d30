import { boolean, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, currency, money, ts } from "./columns";
import { customers } from "./customers";
import { invoices } from "./invoices";
import { payments } from "./payments";

export type ReceiptMethod = "card" | "bank_transfer" | "cheque" | "other";

/**
 * The receipt for money received (decision 043): one per successful payment (unique payment_id, so
 * a retried webhook or job never issues a second), numbered in its own gap-free series (`RCT-000123`)
 * when issued. Kept as issued: the amount, the method as the customer knew it and when it was paid.
 */
export const receipts = pgTable(
  "receipts",
  {
    id: text("id").primaryKey(),
    number: text("number").notNull(),
    customerId: text("customer_id").notNull().references(() => customers.id),
    invoiceId: text("invoice_id").notNull().references(() => invoices.id),
    paymentId: text("payment_id").notNull().references(() => payments.id),
    amount: money("amount").notNull(),
    currency: currency(),
    method: text("method").$type<ReceiptMethod>().notNull(),
    /** "Visa ending 4242", "Bank transfer", "Cheque (ref 1234)": what the receipt prints. */
    methodLabel: text("method_label").notNull(),
    cardBrand: text("card_brand"),
    cardLast4: text("card_last4"),
    paidAt: ts("paid_at").notNull(),
    livemode: boolean("livemode").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("receipts_payment_key").on(t.paymentId),
    uniqueIndex("receipts_number_key").on(t.number),
    index("receipts_customer_idx").on(t.customerId, t.createdAt),
    index("receipts_invoice_idx").on(t.invoiceId),
  ],
);

/**
 * Each time a receipt was emailed: when it was issued and each resend by staff. One row per causing
 * event (unique event_id), written after the email is recorded, naming it.
 */
export const receiptSends = pgTable(
  "receipt_sends",
  {
    id: text("id").primaryKey(),
    receiptId: text("receipt_id").notNull().references(() => receipts.id),
    eventId: text("event_id").notNull(),
    emailId: text("email_id"),
    to: text("to").notNull(),
    reason: text("reason").$type<"issued" | "resent">().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("receipt_sends_event_key").on(t.eventId), index("receipt_sends_receipt_idx").on(t.receiptId, t.createdAt)],
);
