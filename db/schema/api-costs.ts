import { bigint, boolean, date, index, integer, jsonb, numeric, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { createdAt, ts } from "./columns";

/** A provider's quota on units per day or month (warnings come later, with budgets). */
export interface CostQuota {
  limit: number;
  period: "day" | "month";
}

/**
 * A third-party API the platform pays for (docs/decisions/031-api-costs.md): a code unique per mode,
 * the regions it serves, an optional quota. Its prices are cost_rates, never edited: a new rate
 * supersedes from its `effective_from`.
 */
export const costProviders = pgTable(
  "cost_providers",
  {
    id: text("id").primaryKey(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    regions: jsonb("regions").$type<string[]>().notNull().default([]),
    quota: jsonb("quota").$type<CostQuota | null>(),
    /**
     * Pass-through rebilling (drizzle/0040, decision 031): each cost attributed to a customer also
     * becomes a usage event on the sum meter `rebillMeter`, worth cost × (1 + markup) in minor units
     * of `rebillCurrency`. All three or none.
     */
    rebillMarkupBps: integer("rebill_markup_bps"),
    rebillMeter: text("rebill_meter"),
    rebillCurrency: text("rebill_currency"),
    livemode: boolean("livemode").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("cost_providers_code_key").on(t.livemode, t.code)],
);

/**
 * What one unit of an operation costs from `effective_from` on, in exact minor units of `currency`
 * (sub-minor decimals: "0.000015" cents per token). `region` null is the provider-wide rate, used
 * where no rate names the event's region.
 */
export const costRates = pgTable(
  "cost_rates",
  {
    id: text("id").primaryKey(),
    providerId: text("provider_id")
      .notNull()
      .references(() => costProviders.id),
    operation: text("operation").notNull(),
    region: text("region"),
    unit: text("unit").notNull(),
    unitCostDecimal: numeric("unit_cost_decimal").notNull(),
    currency: text("currency").notNull(),
    effectiveFrom: ts("effective_from").notNull(),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("cost_rates_effective_key").on(t.providerId, t.operation, sql`coalesce(${t.region}, '')`, t.effectiveFrom)],
);

/**
 * Recorded API costs, append-only; month-partitioned on PostgreSQL like usage_events
 * (drizzle/0035_api_costs.sql), so the identifier key lives in apiCostIdentifiers.
 */
export const apiCosts = pgTable(
  "api_costs",
  {
    id: text("id").notNull(),
    identifier: text("identifier").notNull(),
    providerCode: text("provider_code").notNull(),
    operation: text("operation").notNull(),
    region: text("region"),
    units: numeric("units").notNull(),
    /** Exact minor units of `currency` (not rounded: reports round once per row). */
    cost: numeric("cost").notNull(),
    currency: text("currency").notNull(),
    customerId: text("customer_id"),
    timestamp: ts("timestamp").notNull(),
    properties: jsonb("properties").$type<Record<string, string | number>>().notNull().default({}),
    /** Arrived after its UTC month had ended (a month that may already have been reported). */
    late: boolean("late").notNull().default(false),
    livemode: boolean("livemode").notNull().default(false),
    /** The rate the cost was computed from; null when the client gave the cost. */
    rateId: text("rate_id"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "api_costs_pkey", columns: [t.timestamp, t.id] }),
    index("api_costs_provider_idx").on(t.livemode, t.providerCode, t.timestamp),
    index("api_costs_customer_idx").on(t.customerId, t.timestamp),
  ],
);

export const apiCostIdentifiers = pgTable(
  "api_cost_identifiers",
  {
    livemode: boolean("livemode").notNull(),
    identifier: text("identifier").notNull(),
    costId: text("cost_id").notNull(),
    timestamp: ts("timestamp").notNull(),
  },
  (t) => [primaryKey({ name: "api_cost_identifiers_pkey", columns: [t.livemode, t.identifier] })],
);

/**
 * Hourly (UTC) sums per (mode, provider, operation, region, customer, currency), written by the
 * statement that stores the costs. Key columns are not null: '' stands for no region / no customer.
 */
export const apiCostRollups = pgTable(
  "api_cost_rollups",
  {
    livemode: boolean("livemode").notNull(),
    providerCode: text("provider_code").notNull(),
    operation: text("operation").notNull(),
    region: text("region").notNull(),
    customerId: text("customer_id").notNull(),
    currency: text("currency").notNull(),
    hour: ts("hour").notNull(),
    eventCount: bigint("event_count", { mode: "number" }).notNull(),
    units: numeric("units").notNull(),
    cost: numeric("cost").notNull(),
  },
  (t) => [
    primaryKey({ name: "api_cost_rollups_pkey", columns: [t.livemode, t.providerCode, t.operation, t.region, t.customerId, t.currency, t.hour] }),
    index("api_cost_rollups_hour_idx").on(t.livemode, t.hour),
  ],
);

/**
 * Exchange rates: 1 `base` = `rate` `quote` (major units). The rate of a day is the latest on or
 * before it. Shared with analytics (issue 18).
 */
export const fxRates = pgTable(
  "fx_rates",
  {
    base: text("base").notNull(),
    quote: text("quote").notNull(),
    rate: numeric("rate").notNull(),
    date: date("date", { mode: "string" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: "fx_rates_pkey", columns: [t.base, t.quote, t.date] })],
);

/**
 * A monthly budget for API costs (issue 17 item 4): one provider's costs (`providerCode`) or every
 * provider's (null), converted into `currency` at each day's rate. One per (mode, provider or all,
 * currency). Each alert threshold (percent of `amount`) fires once per UTC month.
 */
export const apiCostBudgets = pgTable(
  "api_cost_budgets",
  {
    id: text("id").primaryKey(),
    providerCode: text("provider_code"),
    /** Minor units of `currency`. */
    amount: bigint("amount", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    period: text("period").$type<"month">().notNull().default("month"),
    /** Percent of the amount, ascending, unique, 1..1000. */
    alertThresholds: jsonb("alert_thresholds").$type<number[]>().notNull().default([50, 80, 100]),
    livemode: boolean("livemode").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("api_cost_budgets_scope_key").on(t.livemode, sql`coalesce(${t.providerCode}, '')`, t.currency)],
);

/**
 * One row per (budget, UTC month, threshold) reached: the key that makes each alert (email +
 * `budget.threshold_reached`) happen once per period, whichever of two concurrent checks inserts it.
 */
export const apiCostBudgetNotices = pgTable(
  "api_cost_budget_notices",
  {
    budgetId: text("budget_id")
      .notNull()
      .references(() => apiCostBudgets.id, { onDelete: "cascade" }),
    periodStart: ts("period_start").notNull(),
    threshold: integer("threshold").notNull(),
    /** The month's spend when it fired and the budget's amount then, minor units of `currency`. */
    spent: bigint("spent", { mode: "number" }).notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    livemode: boolean("livemode").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ name: "api_cost_budget_notices_pkey", columns: [t.budgetId, t.periodStart, t.threshold] }), index("api_cost_budget_notices_period_idx").on(t.livemode, t.periodStart)],
);

/** One row per (mode, provider, quota period, window start, 80 | 100) reached: each quota warning once per window. */
export const apiCostQuotaNotices = pgTable(
  "api_cost_quota_notices",
  {
    livemode: boolean("livemode").notNull(),
    providerCode: text("provider_code").notNull(),
    period: text("period").$type<"day" | "month">().notNull(),
    periodStart: ts("period_start").notNull(),
    threshold: integer("threshold").notNull(),
    quotaLimit: numeric("quota_limit").notNull(),
    used: numeric("used").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ name: "api_cost_quota_notices_pkey", columns: [t.livemode, t.providerCode, t.period, t.periodStart, t.threshold] })],
);
