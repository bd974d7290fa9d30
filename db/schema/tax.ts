import { sql } from "drizzle-orm";
import { boolean, date, index, numeric, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";

/**
 * Tax rates staff set (issue 19, decision 039): a rate for a country (or one of its regions) in force
 * from `effective_from` to `effective_to` (inclusive days; null: open). They are read over the rates
 * Tally ships (lib/tax/rates.ts), a stored one winning for the same place and day. An issued invoice
 * keeps the amounts it was issued with; a new rate applies to invoices dated on or after its start.
 */
export const taxRates = pgTable(
  "tax_rates",
  {
    id: text("id").primaryKey(),
    country: text("country").notNull(),
    region: text("region"),
    kind: text("kind").$type<"gst" | "vat" | "sales_tax">().notNull(),
    percentage: numeric("percentage").notNull(),
    effectiveFrom: date("effective_from", { mode: "string" }),
    effectiveTo: date("effective_to", { mode: "string" }),
    /** Whether software as a service is taxed at this rate (US states differ). */
    saasTaxable: boolean("saas_taxable").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index("tax_rates_place_idx").on(t.country, t.region, t.effectiveFrom)],
);

/** Where the seller is registered to collect tax, from which day (null: always). One per country and region. */
export const taxRegistrations = pgTable(
  "tax_registrations",
  {
    id: text("id").primaryKey(),
    country: text("country").notNull(),
    region: text("region"),
    scheme: text("scheme").$type<"standard" | "oss">().notNull().default("standard"),
    activeFrom: date("active_from", { mode: "string" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("tax_registrations_place_key").on(t.country, sql`coalesce(${t.region}, '')`)],
);
