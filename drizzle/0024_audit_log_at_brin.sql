-- The audit log is append-only and written in time order, so its rows lie on disk in `at` order: a
-- BRIN index (a few bytes per 128 pages) answers the audit page's from/to filter as well as a
-- B-tree did, and an append adds nothing to it — the B-tree took an entry per row, a quarter of the
-- index writes of every audited change (three entries per renewal in the billing run).
DROP INDEX "audit_log_at_idx";--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING brin ("at");
