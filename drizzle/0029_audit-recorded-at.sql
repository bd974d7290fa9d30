-- `at` on an audit entry is the business time of the change, and a customer on a test clock lives
-- in the clock's time (entries dated Jan 2027 written today): ordered by `at`, or shown by it, the
-- audit log mixes clock times into real time. `recorded_at` is when the entry was written — now(),
-- the writing transaction's start — and orders the log; `at` stays the business time.
--
-- Outbox events get the same column: an event and the audit entry of one change are written in one
-- transaction and so share `recorded_at` exactly, whichever clock each one's own time followed; the
-- customer timeline shows the two as one entry by it.
--
-- Existing rows: the time they were written was not kept, so `recorded_at` is taken from `at` /
-- `created_at` — except a time still in the future (a test clock ahead of today), which cannot be
-- when anything was written and would pin the row to the top of the log until then: those take the
-- migration's time. An event and its audit entry written together had equal times, and still do.
--
-- Indexes: the log page reads newest first by (recorded_at, id), with keyset pages, and its date
-- filter is on recorded_at — a B-tree on (recorded_at, id) answers both. Nothing reads `at` by
-- range any more, so its BRIN index (0024) goes.
DROP INDEX "audit_log_at_idx";--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "recorded_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox_events" ADD COLUMN "recorded_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- The append-only trigger (0001) refuses every UPDATE; this one backfill is the schema's own.
ALTER TABLE "audit_log" DISABLE TRIGGER "audit_log_no_update";--> statement-breakpoint
UPDATE "audit_log" SET "recorded_at" = least("at", "recorded_at");--> statement-breakpoint
ALTER TABLE "audit_log" ENABLE TRIGGER "audit_log_no_update";--> statement-breakpoint
UPDATE "outbox_events" SET "recorded_at" = least("created_at", "recorded_at");--> statement-breakpoint
CREATE INDEX "audit_log_recorded_idx" ON "audit_log" USING btree ("recorded_at","id");
