import { bigserial, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, currency, money, ts } from "./columns";
import { plans, prices } from "./catalog";

/** What the preview said the run would do, kept with the run so its history reads without re-computing. */
export interface PriceMigrationSnapshot {
  subscriptions: number;
  mrrBefore: number;
  mrrAfter: number;
}

/**
 * One bulk move of subscriptions from one price version to another (at their next renewal). The
 * counters are raised in the same transaction as each batch's moves, so they are true even when a
 * run stops half way; running the same move again moves only what is left.
 */
export const priceMigrationRuns = pgTable(
  "price_migration_runs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    planId: text("plan_id").notNull().references(() => plans.id),
    fromPriceId: text("from_price_id").notNull().references(() => prices.id),
    toPriceId: text("to_price_id").notNull().references(() => prices.id),
    currency: currency(),
    status: text("status").$type<"running" | "completed" | "failed">().notNull(),
    batchSize: integer("batch_size").notNull(),
    batches: integer("batches").notNull().default(0),
    subscriptionsMoved: integer("subscriptions_moved").notNull().default(0),
    itemsMoved: integer("items_moved").notNull().default(0),
    /** Picked up but left as they were (changed meanwhile, already moving, or ending). */
    subscriptionsSkipped: integer("subscriptions_skipped").notNull().default(0),
    /** MRR in minor units of the subscriptions the preview counted, before and after. */
    mrrBefore: money("mrr_before").notNull(),
    mrrAfter: money("mrr_after").notNull(),
    preview: jsonb("preview").$type<PriceMigrationSnapshot>().notNull(),
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id").notNull(),
    error: text("error"),
    startedAt: ts("started_at").notNull(),
    finishedAt: ts("finished_at"),
    createdAt: createdAt(),
  },
  (t) => [index("price_migration_runs_plan_idx").on(t.planId, t.id), index("price_migration_runs_from_idx").on(t.fromPriceId)],
);
