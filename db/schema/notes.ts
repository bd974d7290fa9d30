import { sql } from "drizzle-orm";
import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, money } from "./columns";
import { customers } from "./customers";
import { payments } from "./payments";

export type CustomerNoteKind = "note" | "escalation" | "resolution";

/**
 * Staff notes on a customer. Append-only (a trigger refuses UPDATE and DELETE): a note is never
 * edited, only followed by another. An escalation to a billing admin is a note of kind
 * `escalation`; it is resolved by a later note of kind `resolution` naming it in `resolves` (at
 * most one, by a unique index), so "open" means no resolution yet.
 *
 * A refund request is an escalation naming the payment and the amount (in the payment's currency)
 * that support could not refund themselves; a payment has at most one open request.
 */
export const customerNotes = pgTable(
  "customer_notes",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id").notNull().references(() => customers.id),
    /** The staff user who wrote it (users.id). */
    author: text("author").notNull(),
    body: text("body").notNull(),
    kind: text("kind").$type<CustomerNoteKind>().notNull().default("note"),
    /** For a resolution: the escalation it resolves. */
    resolves: text("resolves"),
    /** For a refund request: the payment to refund, and how much of it. */
    paymentId: text("payment_id").references(() => payments.id),
    refundAmount: money("refund_amount"),
    createdAt: createdAt(),
  },
  (t) => [
    index("customer_notes_customer_idx").on(t.customerId, t.createdAt),
    uniqueIndex("customer_notes_resolves_key").on(t.resolves).where(sql`resolves is not null`),
    index("customer_notes_escalations_idx").on(t.createdAt).where(sql`kind = 'escalation'`),
    index("customer_notes_payment_idx").on(t.paymentId).where(sql`payment_id is not null`),
  ],
);
