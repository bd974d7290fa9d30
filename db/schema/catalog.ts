import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, currency, money } from "./columns";
import { meters } from "./usage";
import type { PriceTier } from "@/lib/billing/types";
import type { PlanFeature } from "@/lib/billing/features/features";

export const products = pgTable("products", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  description: text("description"),
  active: boolean("active").notNull().default(true),
  metadata: jsonb("metadata").$type<Record<string, string>>().notNull().default({}),
  createdAt: createdAt(),
});

export type IntervalUnit = "day" | "week" | "month" | "year";

export const plans = pgTable(
  "plans",
  {
    id: text("id").primaryKey(),
    productId: text("product_id").notNull().references(() => products.id),
    code: text("code").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    interval: text("interval").$type<IntervalUnit>().notNull(),
    intervalCount: integer("interval_count").notNull().default(1),
    trialPeriodDays: integer("trial_period_days").notNull().default(0),
    /** Boolean and metered features (drizzle/0032_plan_features.sql turned the old plain codes into objects). */
    features: jsonb("features").$type<PlanFeature[]>().notNull().default([]),
    sortOrder: integer("sort_order").notNull().default(0),
    active: boolean("active").notNull().default(true),
    metadata: jsonb("metadata").$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("plans_code_key").on(t.code), index("plans_product_idx").on(t.productId)],
);

/** Prices are immutable versions: a new price for (plan, currency) is the next version. */
export const prices = pgTable(
  "prices",
  {
    id: text("id").primaryKey(),
    planId: text("plan_id").notNull().references(() => plans.id),
    currency: currency(),
    version: integer("version").notNull(),
    active: boolean("active").notNull().default(true),
    taxBehavior: text("tax_behavior").$type<"inclusive" | "exclusive">().notNull(),
    billingScheme: text("billing_scheme").$type<"per_unit" | "tiered">().notNull().default("per_unit"),
    unitAmount: money("unit_amount"),
    unitAmountDecimal: text("unit_amount_decimal"),
    tiersMode: text("tiers_mode").$type<"graduated" | "volume">(),
    tiers: jsonb("tiers").$type<PriceTier[]>(),
    packageSize: integer("package_size"),
    usageType: text("usage_type").$type<"licensed" | "metered">().notNull().default("licensed"),
    /** A metered price's meter version (drizzle/0031: set exactly when usage_type is metered). */
    meterId: text("meter_id").references(() => meters.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("prices_plan_currency_version_key").on(t.planId, t.currency, t.version)],
);
