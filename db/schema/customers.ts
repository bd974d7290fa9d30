import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, currency, money, ts } from "./columns";

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
    address: jsonb("address").$type<Address>().notNull().default({}),
    taxIds: jsonb("tax_ids").$type<TaxId[]>().notNull().default([]),
    taxExempt: text("tax_exempt").$type<"none" | "exempt" | "reverse">().notNull().default("none"),
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
  },
  (t) => [
    index("customers_email_idx").on(t.email),
    uniqueIndex("customers_external_id_key").on(t.externalId),
    index("customers_created_idx").on(t.createdAt, t.id),
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
  },
  (t) => [index("payment_methods_customer_idx").on(t.customerId), uniqueIndex("payment_methods_gateway_key").on(t.gateway, t.gatewayId)],
);
