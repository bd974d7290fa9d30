import { index, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, ts } from "./columns";

export type PortalFlow =
  | { type: "payment_method_update" }
  | { type: "subscription_cancel"; subscription?: string }
  | { type: "invoice_pay"; invoice: string };

/**
 * A short-lived, single-use link the SaaS creates (POST /api/v1/portal_sessions) to send a customer
 * straight into their billing portal. Only the token's SHA-256 is stored.
 */
export const portalSessions = pgTable(
  "portal_sessions",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    returnUrl: text("return_url"),
    flow: jsonb("flow").$type<PortalFlow>(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
  },
  (t) => [uniqueIndex("portal_sessions_token_key").on(t.tokenHash), index("portal_sessions_customer_idx").on(t.customerId)],
);
