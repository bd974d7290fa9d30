import { boolean, bigint, index, integer, jsonb, numeric, pgTable, primaryKey, smallint, text, uniqueIndex } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { meterAggregations, type MeterFilters, type UsageProperties } from "@/lib/usage/vocabulary";
import { createdAt, ts } from "./columns";
import { customers } from "./customers";


/**
 * Meters are immutable versions, like prices: a new definition for a code is the next version and
 * the code's current one; usage already measured under an older version keeps being measured by it
 * (docs/decisions/028-usage-metering.md). Events name the code, not a version.
 */
export const meters = pgTable(
  "meters",
  {
    id: text("id").primaryKey(),
    code: text("code").notNull(),
    version: integer("version").notNull(),
    active: boolean("active").notNull().default(true),
    name: text("name").notNull(),
    aggregation: text("aggregation", { enum: meterAggregations }).notNull(),
    valueProperty: text("value_property"),
    uniqueProperty: text("unique_property"),
    filters: jsonb("filters").$type<MeterFilters>().notNull().default({}),
    livemode: boolean("livemode").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("meters_code_version_key").on(t.livemode, t.code, t.version)],
);

/**
 * The raw usage events, append-only. On PostgreSQL the table is partitioned by month on
 * `timestamp` (drizzle/0030_usage_metering.sql; partitions are made by usage_events_ensure_partitions),
 * so a unique key on the client's identifier cannot live here: see usageEventIdentifiers.
 */
export const usageEvents = pgTable(
  "usage_events",
  {
    id: text("id").notNull(),
    identifier: text("identifier").notNull(),
    meterCode: text("meter_code").notNull(),
    customerId: text("customer_id").notNull(),
    timestamp: ts("timestamp").notNull(),
    properties: jsonb("properties").$type<UsageProperties>().notNull().default({}),
    /** The event fell in a period already invoiced when it arrived: a supplemental invoice bills it. */
    late: boolean("late").notNull().default(false),
    livemode: boolean("livemode").notNull().default(false),
    /** When Tally stored it (the request's time), as against `timestamp`, when it happened. */
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "usage_events_pkey", columns: [t.timestamp, t.id] }),
    index("usage_events_customer_idx").on(t.customerId, t.meterCode, t.timestamp),
    index("usage_events_late_idx").on(t.customerId, t.timestamp).where(sql`late`),
  ],
);

/** One row per identifier ever accepted: the key that makes ingest idempotent across retries and restarts. */
export const usageEventIdentifiers = pgTable(
  "usage_event_identifiers",
  {
    livemode: boolean("livemode").notNull(),
    identifier: text("identifier").notNull(),
    eventId: text("event_id").notNull(),
    timestamp: ts("timestamp").notNull(),
  },
  (t) => [primaryKey({ name: "usage_event_identifiers_pkey", columns: [t.livemode, t.identifier] })],
);

/**
 * Hourly (UTC) pre-aggregates per meter version and customer, written in the ingest transaction
 * from the same rows as the raw events: enough to answer sum, count, max and last for any whole
 * hours. `unique_count` needs the distinct values themselves: usageRollupValues.
 */
export const usageRollups = pgTable(
  "usage_rollups",
  {
    meterId: text("meter_id").notNull(),
    customerId: text("customer_id").notNull(),
    hour: ts("hour").notNull(),
    eventCount: bigint("event_count", { mode: "number" }).notNull(),
    valueSum: numeric("value_sum"),
    valueMax: numeric("value_max"),
    lastTimestamp: ts("last_timestamp"),
    lastIdentifier: text("last_identifier"),
    lastValue: numeric("last_value"),
  },
  (t) => [primaryKey({ name: "usage_rollups_pkey", columns: [t.meterId, t.customerId, t.hour] })],
);

export const usageRollupValues = pgTable(
  "usage_rollup_values",
  {
    meterId: text("meter_id").notNull(),
    customerId: text("customer_id").notNull(),
    hour: ts("hour").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ name: "usage_rollup_values_pkey", columns: [t.meterId, t.customerId, t.hour, t.value] })],
);

/**
 * A customer whose stored usage may have missed an invoice (drizzle/0034): noted by ingest for an
 * event from a closed or just-ended period, cleared by billLateUsage once re-measured and billed.
 */
export const usageLateChecks = pgTable("usage_late_checks", {
  customerId: text("customer_id")
    .primaryKey()
    .references(() => customers.id),
  since: ts("since").notNull(),
  notedAt: ts("noted_at").notNull(),
});

/**
 * Ingest health: per minute (UTC, the request's time), usage events accepted, duplicates, and
 * rejections by code (`{code: count}`), upserted by each ingest call (drizzle/0033). `slot` spreads
 * concurrent writers over a few rows; readers add the slots up.
 */
export const usageIngestCounts = pgTable(
  "usage_ingest_counts",
  {
    livemode: boolean("livemode").notNull(),
    minute: ts("minute").notNull(),
    slot: smallint("slot").notNull(),
    accepted: bigint("accepted", { mode: "number" }).notNull().default(0),
    duplicates: bigint("duplicates", { mode: "number" }).notNull().default(0),
    rejected: jsonb("rejected").$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [primaryKey({ name: "usage_ingest_counts_pkey", columns: [t.livemode, t.minute, t.slot] })],
);

/**
 * One row per (customer, feature, threshold, period) a metered feature's usage has reached: the key
 * that makes each 80% / 100% notice (email + `usage.threshold_reached`) happen once per period,
 * however many ingests cross it at once (docs/decisions/029-entitlements-cache.md).
 */
export const usageThresholdNotices = pgTable(
  "usage_threshold_notices",
  {
    customerId: text("customer_id").notNull(),
    featureCode: text("feature_code").notNull(),
    threshold: integer("threshold").notNull(),
    periodStart: ts("period_start").notNull(),
    subscriptionId: text("subscription_id").notNull(),
    meterCode: text("meter_code").notNull(),
    limit: numeric("limit").notNull(),
    used: numeric("used").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ name: "usage_threshold_notices_pkey", columns: [t.customerId, t.featureCode, t.threshold, t.periodStart] })],
);

/**
 * A subscription's projected usage cost reaching 80% or 100% of its spend threshold in a period
 * (drizzle/0036): one row per (subscription, threshold amount, percent, period), written with the
 * usage.threshold_reached event (kind "spend") by the check that inserts it.
 */
export const usageSpendNotices = pgTable(
  "usage_spend_notices",
  {
    subscriptionId: text("subscription_id").notNull(),
    spendThreshold: bigint("spend_threshold", { mode: "number" }).notNull(),
    threshold: integer("threshold").notNull(),
    periodStart: ts("period_start").notNull(),
    customerId: text("customer_id").notNull(),
    currency: text("currency").notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ name: "usage_spend_notices_pkey", columns: [t.subscriptionId, t.spendThreshold, t.threshold, t.periodStart] })],
);
