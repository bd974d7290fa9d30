import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, ts } from "./columns";
import type { Address, TaxId } from "./customers";
import { invoices } from "./invoices";

/**
 * Who an invoice was issued to, as it stood when the invoice was finalized (the "bill to" block of
 * the PDF). Kept with the invoice for the legal retention period: deleting an account pseudonymizes
 * the customer, not the tax invoices already issued to them (docs/decisions/014-privacy.md).
 * In migrations only: a trigger refuses UPDATE (0015), and the key onto invoices is DEFERRABLE
 * INITIALLY IMMEDIATE, so the batched renewal writes the block before its invoice (0023).
 */
export const invoiceBillTo = pgTable(
  "invoice_bill_to",
  {
    invoiceId: text("invoice_id")
      .primaryKey()
      .references(() => invoices.id),
    customerId: text("customer_id").notNull(),
    name: text("name"),
    email: text("email").notNull(),
    address: jsonb("address").$type<Address>().notNull().default({}),
    taxIds: jsonb("tax_ids").$type<TaxId[]>().notNull().default([]),
    capturedAt: ts("captured_at").notNull(),
  },
  (t) => [index("invoice_bill_to_customer_idx").on(t.customerId)],
);

/**
 * One row per deleted account: when it was erased, by whom, and until when its invoices, payments
 * and credit notes are retained. Its presence is what marks a customer as deleted.
 */
export const customerErasures = pgTable("customer_erasures", {
  customerId: text("customer_id").primaryKey(),
  requestedByType: text("requested_by_type").notNull(),
  requestedById: text("requested_by_id").notNull(),
  erasedAt: ts("erased_at").notNull(),
  /** The end of the legal retention period for the invoices, payments and credit notes kept. */
  retainUntil: ts("retain_until").notNull(),
  /** Set once every saved card was detached at the gateway (the calls run after the commit). */
  gatewayDetachedAt: ts("gateway_detached_at"),
  /** Set when, after retain_until, the data-retention run replaced the bill-to blocks of the invoices kept by the pseudonym. */
  financialRecordsPurgedAt: ts("financial_records_purged_at"),
  createdAt: createdAt(),
});
