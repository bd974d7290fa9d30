import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
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
    /** The secret before the last rotation: deliveries are signed with both until it expires (decision 036). */
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: ts("previous_secret_expires_at"),
    status: text("status").$type<"enabled" | "disabled">().notNull().default("enabled"),
    livemode: text("livemode").$type<"test" | "live">().notNull().default("test"),
    createdAt: createdAt(),
    disabledAt: ts("disabled_at"),
    deletedAt: ts("deleted_at"),
  },
  (t) => [index("webhook_endpoints_status_idx").on(t.status)],
);

/**
 * One event to one endpoint, created when the event is dispatched (unique per endpoint and event, so
 * a replay or a second dispatch never duplicates). Its webhook-id is the event id, the same on every
 * attempt, resend and replay.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    eventCreatedAt: ts("event_created_at").notNull(),
    /** The event's customer: one endpoint hears one customer's events in order (decision 036). */
    customerId: text("customer_id"),
    /** The event's place among events of the same `event_created_at` (outbox_events.seq). */
    eventSeq: bigint("event_seq", { mode: "number" }).notNull().default(0),
    status: text("status").$type<"pending" | "succeeded" | "failed">().notNull().default("pending"),
    /** Attempts in the current round; a resend or replay starts a new round (with its trigger). */
    attempts: integer("attempts").notNull().default(0),
    trigger: text("trigger").$type<"automatic" | "resend" | "replay">().notNull().default("automatic"),
    nextAttemptAt: ts("next_attempt_at").notNull(),
    claimedUntil: ts("claimed_until"),
    lastAttemptAt: ts("last_attempt_at"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    deliveredAt: ts("delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_endpoint_event_key").on(t.endpointId, t.eventId),
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`"status" = 'pending'`),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt),
    index("webhook_deliveries_order_idx").on(t.endpointId, t.customerId, t.eventCreatedAt, t.eventSeq).where(sql`"status" = 'pending' AND "customer_id" IS NOT NULL`),
  ],
);

/** Every attempt of a delivery: the delivery log, with truncated request and response excerpts. */
export const webhookDeliveryAttempts = pgTable(
  "webhook_delivery_attempts",
  {
    id: text("id").primaryKey(),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id),
    endpointId: text("endpoint_id").notNull(),
    eventId: text("event_id").notNull(),
    attempt: integer("attempt").notNull(),
    trigger: text("trigger").$type<"automatic" | "resend" | "replay">().notNull(),
    attemptedAt: ts("attempted_at").notNull(),
    outcome: text("outcome").$type<"succeeded" | "failed" | "disabled">().notNull(),
    statusCode: integer("status_code"),
    durationMs: integer("duration_ms").notNull(),
    requestExcerpt: text("request_excerpt").notNull(),
    responseExcerpt: text("response_excerpt"),
    error: text("error"),
  },
  (t) => [index("webhook_delivery_attempts_endpoint_idx").on(t.endpointId, t.attemptedAt), index("webhook_delivery_attempts_delivery_idx").on(t.deliveryId, t.attempt)],
);
