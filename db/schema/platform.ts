import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { bytea, createdAt, ts } from "./columns";

export type ActorType = "user" | "api_key" | "system" | "webhook";

/** What an audit entry says, in the audit log and in its archive alike. */
const auditEntryColumns = () => ({
  at: ts("at").notNull(),
  actorType: text("actor_type").$type<ActorType>().notNull(),
  actorId: text("actor_id").notNull(),
  action: text("action").notNull(),
  entityType: text("entity_type").notNull(),
  entityId: text("entity_id").notNull(),
  before: jsonb("before"),
  after: jsonb("after"),
  requestId: text("request_id"),
});

/**
 * Append-only: a trigger (see the init migration) refuses UPDATE and DELETE. `at` is the business
 * time of the change (a customer on a test clock lives in the clock's time); `recorded_at` is when
 * the entry was written (the transaction's start, real time), which orders the audit log page.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    ...auditEntryColumns(),
    recordedAt: ts("recorded_at").notNull().defaultNow(),
  },
  (t) => [index("audit_log_entity_idx").on(t.entityType, t.entityId, t.id), index("audit_log_recorded_idx").on(t.recordedAt, t.id)],
);

/**
 * Audit entries older than the setting `retention.audit_years`, moved here by the data-retention run
 * (lib/services/privacy/data-retention.ts) with the same columns and when they were moved. Append-only
 * like the audit log (migration 0049): the log's trigger lets an entry be deleted only inside a
 * transaction that set `tally.retention` and only once it is here.
 */
export const auditLogArchive = pgTable(
  "audit_log_archive",
  {
    id: bigint("id", { mode: "number" }).primaryKey(),
    ...auditEntryColumns(),
    recordedAt: ts("recorded_at").notNull(),
    archivedAt: ts("archived_at").notNull(),
  },
  (t) => [index("audit_log_archive_entity_idx").on(t.entityType, t.entityId, t.id)],
);

/** Events written in the same transaction as the change; dispatched after commit. */
export const outboxEvents = pgTable(
  "outbox_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    customerId: text("customer_id"),
    entityId: text("entity_id"),
    payload: jsonb("payload").notNull(),
    createdAt: createdAt(),
    dispatchedAt: ts("dispatched_at"),
    attempts: integer("attempts").notNull().default(0),
    claimedUntil: ts("claimed_until"),
    lastError: text("last_error"),
    /**
     * The mode of an event about no customer (an API-cost budget's, a provider's). An event about a
     * customer has that customer's mode whatever this says (eventLivemode, lib/events/livemode.ts).
     */
    livemode: boolean("livemode").notNull().default(false),
    /** The order of writing: events of one transaction share `created_at` (migration 0050). */
    seq: bigint("seq", { mode: "number" }).generatedByDefaultAsIdentity(),
    /**
     * When the event was written (the transaction's start, real time). An event and the audit entry of
     * the same change share it, whatever clock `created_at` followed: the customer timeline pairs them by it.
     */
    recordedAt: ts("recorded_at").notNull().defaultNow(),
  },
  (t) => [
    index("outbox_events_pending_idx").on(t.dispatchedAt, t.createdAt),
    // The data-retention run's delete of dispatched events (migration 0049).
    index("outbox_events_dispatched_created_idx").on(t.createdAt).where(sql`dispatched_at is not null`),
  ],
);

/** Every email Tally sends; without RESEND_API_KEY this is the mailbox shown at /admin/emails. */
export const emails = pgTable(
  "emails",
  {
    id: text("id").primaryKey(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    template: text("template").notNull(),
    eventId: text("event_id"),
    customerId: text("customer_id"),
    transport: text("transport").$type<"outbox" | "resend">().notNull(),
    providerId: text("provider_id"),
    status: text("status").$type<"queued" | "sent" | "failed">().notNull(),
    createdAt: createdAt(),
    sentAt: ts("sent_at"),
  },
  (t) => [
    uniqueIndex("emails_event_template_key").on(t.eventId, t.template, t.to),
    index("emails_customer_idx").on(t.customerId, t.createdAt),
    index("emails_created_idx").on(t.createdAt),
  ],
);

/**
 * Files sent with an email (a receipt's PDF), kept with it: the mailbox shows and serves them, and
 * erasing a customer's emails deletes them. Bytes as sent.
 */
export const emailAttachments = pgTable(
  "email_attachments",
  {
    emailId: text("email_id")
      .notNull()
      .references(() => emails.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    content: bytea("content").notNull(),
  },
  (t) => [primaryKey({ columns: [t.emailId, t.position] })],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** The visible start of the key (e.g. tk_test_Ab12), for recognising it in lists. */
    prefix: text("prefix").notNull(),
    /** SHA-256 of the whole key; the key itself is shown once and never stored. */
    hash: text("hash").notNull(),
    livemode: boolean("livemode").notNull(),
    createdBy: text("created_by"),
    lastUsedAt: ts("last_used_at"),
    revokedAt: ts("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("api_keys_hash_key").on(t.hash)],
);

/** Stripe-semantics idempotency: the first response per (key owner, key) is stored 24 h and replayed. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    apiKeyId: text("api_key_id").notNull(),
    key: text("key").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    requestHash: text("request_hash").notNull(),
    state: text("state").$type<"in_flight" | "done">().notNull(),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    createdAt: createdAt(),
    lockedUntil: ts("locked_until"),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.key] }), index("idempotency_keys_created_idx").on(t.createdAt)],
);

/** The local job runner's last-run status per job, shown in the admin console. */
export const jobRuns = pgTable("job_runs", {
  name: text("name").primaryKey(),
  lastStartedAt: ts("last_started_at"),
  lastFinishedAt: ts("last_finished_at"),
  lastStatus: text("last_status").$type<"ok" | "error" | "running">(),
  lastError: text("last_error"),
  lastResult: jsonb("last_result"),
});

/**
 * Rate-limit budgets every instance shares (lib/http/rate-limiter.ts): rate-limiter-flexible's
 * PostgreSQL store writes this table itself, in its own shape (`expire` in epoch milliseconds).
 * UNLOGGED in its migration (drizzle/0048), which drizzle cannot describe: a crash may forget
 * budgets, never billing state.
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: varchar("key", { length: 255 }).primaryKey(),
    points: integer("points").notNull().default(0),
    expire: bigint("expire", { mode: "number" }),
  },
  (t) => [index("rate_limits_expire_idx").on(t.expire)],
);
