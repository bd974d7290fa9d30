import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, ts } from "./columns";

/**
 * Where Tally posts its own events (Standard Webhooks: webhook-id / webhook-timestamp /
 * webhook-signature, HMAC-SHA256 with the endpoint's whsec_ secret).
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    url: text("url").notNull(),
    description: text("description"),
    /** Event types delivered, e.g. ["invoice.paid"]; ["*"] means every event. */
    enabledEvents: jsonb("enabled_events").$type<string[]>().notNull(),
    secret: text("secret").notNull(),
    status: text("status").$type<"enabled" | "disabled">().notNull().default("enabled"),
    livemode: text("livemode").$type<"test" | "live">().notNull().default("test"),
    createdAt: createdAt(),
    disabledAt: ts("disabled_at"),
    deletedAt: ts("deleted_at"),
  },
  (t) => [index("webhook_endpoints_status_idx").on(t.status)],
);
