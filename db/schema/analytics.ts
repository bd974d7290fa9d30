import { boolean, date, index, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { currency, money, ts } from "./columns";
import type { MovementKind } from "@/lib/analytics/mrr";
import type { LeakageItem, RuleTotals } from "@/lib/billing/leakage/rules";

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

/**
 * One revenue-leakage run per UTC day (decision 034): when it ran, the per-rule counts and amounts
 * over everything found, and the items (up to SNAPSHOT_ITEMS_PER_RULE per rule). A second run on
 * the same day replaces the day's row; drizzle/0044.
 */
export const leakageRuns = pgTable("leakage_runs", {
  day: date("day", { mode: "string" }).primaryKey(),
  ranAt: ts("ran_at").notNull(),
  totals: jsonb("totals").$type<RuleTotals[]>().notNull(),
  items: jsonb("items").$type<LeakageItem[]>().notNull(),
});
