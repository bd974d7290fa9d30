import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, currency, money, ts } from "./columns";
import { subscriptionStatuses } from "@/lib/billing/subscriptions/statuses";
import type { ProvidedTax } from "@/lib/tax/provided";

export interface Address {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  state?: string | null;
  postal_code?: string | null;
  country?: string | null;
}
export interface TaxId {
  type: string;
  value: string;
  verified: boolean;
}

export const customers = pgTable(
  "customers",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name"),
    currency: currency(),
    timezone: text("timezone").notNull(),
    /** BCP 47 tags, best first (Stripe's `preferred_locales`): what the customer reads amounts and dates in. */
    preferredLocales: text("preferred_locales").array().notNull().default(sql`'{}'::text[]`),
    address: jsonb("address").$type<Address>().notNull().default({}),
    taxIds: jsonb("tax_ids").$type<TaxId[]>().notNull().default([]),
    taxExempt: text("tax_exempt").$type<"none" | "exempt" | "reverse">().notNull().default("none"),
    /** The exemption certificate's reference when `tax_exempt` is exempt (e.g. a resale or charity certificate number). */
    taxExemptionCertificate: text("tax_exemption_certificate"),
    /** Stripe Tax's decision for the customer's place, when `tax.provider` is stripe_tax (lib/tax/provided.ts). */
    providedTax: jsonb("provided_tax").$type<ProvidedTax>(),
    creditBalance: money("credit_balance").notNull().default(0),
    status: text("status").$type<"active" | "warning" | "blocked">().notNull().default("active"),
    defaultPaymentMethodId: text("default_payment_method_id"),
    /** The customer's id at the gateway (Stripe `cus_…`), created on first use. */
    gatewayCustomerId: text("gateway_customer_id"),
    externalId: text("external_id"),
    testClockId: text("test_clock_id"),
    livemode: boolean("livemode").notNull().default(false),
    metadata: jsonb("metadata").$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
    /**
     * The customer's current subscription (a live one before an ended one, newest first), its status
     * and the plan of its first item: kept by database triggers on subscriptions and
     * subscription_items, in the writer's transaction, so the console's customer list can filter on
     * them through an index (docs/decisions/015-customer-list.md). Read-only for application code.
     */
    currentSubscriptionId: text("current_subscription_id"),
    currentSubscriptionStatus: text("current_subscription_status", { enum: subscriptionStatuses }),
    currentPlanId: text("current_plan_id"),
  },
  (t) => [
    index("customers_email_idx").on(t.email, t.id),
    uniqueIndex("customers_external_id_key").on(t.externalId),
    index("customers_created_idx").on(t.createdAt, t.id),
    // The console's customer list: one index per sort (with the id tiebreaker), one per filter
    // (leading the default created sort), and a trigram index for substring search.
    index("customers_list_name_idx").on(sql`lower(coalesce(${t.name}, ${t.email}))`, t.id),
    index("customers_list_balance_idx").on(t.creditBalance, t.id),
    index("customers_list_subscription_status_idx").on(t.currentSubscriptionStatus, t.createdAt, t.id),
    index("customers_list_plan_idx").on(t.currentPlanId, t.createdAt, t.id),
    index("customers_list_dunning_idx").on(t.status, t.createdAt, t.id),
    index("customers_list_country_idx").on(sql`(${t.address} ->> 'country')`, t.createdAt, t.id),
    index("customers_list_currency_idx").on(t.currency, t.createdAt, t.id),
    // A small pending list: searches never scan megabytes of not-yet-merged entries, bulk inserts still batch.
    index("customers_list_search_idx")
      .using("gin", sql`(coalesce(${t.name}, '') || ' ' || ${t.email}) gin_trgm_ops`)
      .with({ gin_pending_list_limit: 256 }),
  ],
);

export const paymentMethods = pgTable(
  "payment_methods",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id").notNull().references(() => customers.id),
    type: text("type").$type<"card">().notNull().default("card"),
    brand: text("brand").notNull(),
    last4: text("last4").notNull(),
    expMonth: integer("exp_month").notNull(),
    expYear: integer("exp_year").notNull(),
    fingerprint: text("fingerprint").notNull(),
    gateway: text("gateway").$type<"sandbox" | "stripe">().notNull(),
    gatewayId: text("gateway_id").notNull(),
    createdAt: createdAt(),
    detachedAt: ts("detached_at"),
    /** When the card was detached at the gateway too (Stripe `POST /v1/payment_methods/{id}/detach`); null while that is still to do. */
    gatewayDetachedAt: ts("gateway_detached_at"),
  },
  (t) => [
    index("payment_methods_customer_idx").on(t.customerId),
    uniqueIndex("payment_methods_gateway_key").on(t.gateway, t.gatewayId),
    // The janitor's work list: removed in Tally, not yet at the gateway.
    index("payment_methods_gateway_detach_due_idx").on(t.detachedAt).where(sql`${t.detachedAt} is not null and ${t.gatewayDetachedAt} is null`),
  ],
);
