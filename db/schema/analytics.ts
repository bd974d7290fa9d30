import { boolean, date, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { currency, money } from "./columns";
import type { MovementKind } from "@/lib/analytics/mrr";

/**
 * A customer's MRR in one currency on each UTC day it moved (decision 032): the day's MRR, the
 * change from the day before and its kind. Derived from invoices and status history, so a rebuild
 * (`npm run tally -- rebuild-mrr`) recreates every row; drizzle/0041.
 */
export const mrrMovements = pgTable(
  "mrr_movements",
  {
    customerId: text("customer_id").notNull(),
    currency: currency(),
    day: date("day", { mode: "string" }).notNull(),
    mrr: money("mrr").notNull(),
    delta: money("delta").notNull(),
    kind: text("kind").$type<MovementKind>().notNull(),
    /** The customer's mode: the API reports test or live figures by its key's mode. */
    livemode: boolean("livemode").notNull(),
  },
  (t) => [primaryKey({ name: "mrr_movements_pkey", columns: [t.customerId, t.currency, t.day] }), index("mrr_movements_day_idx").on(t.livemode, t.day)],
);
