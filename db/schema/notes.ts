import { sql } from "drizzle-orm";
import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { customers } from "./customers";

export type CustomerNoteKind = "note" | "escalation" | "resolution";

/**
 * Staff notes on a customer. Append-only (a trigger refuses UPDATE and DELETE): a note is never
 * edited, only followed by another. An escalation to a billing admin is a note of kind
 * `escalation`; it is resolved by a later note of kind `resolution` naming it in `resolves` (at
 * most one, by a unique index), so "open" means no resolution yet.
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
    createdAt: createdAt(),
  },
  (t) => [
    index("customer_notes_customer_idx").on(t.customerId, t.createdAt),
    uniqueIndex("customer_notes_resolves_key").on(t.resolves).where(sql`resolves is not null`),
    index("customer_notes_escalations_idx").on(t.createdAt).where(sql`kind = 'escalation'`),
  ],
);
