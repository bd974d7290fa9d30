-- Data retention (docs/decisions/014-privacy.md, lib/services/privacy/data-retention.ts).
-- Audit entries older than `retention.audit_years` move to audit_log_archive (same columns, plus
-- when they were archived). Both tables stay append-only for everything else: the only DELETE the
-- trigger lets through on audit_log is one inside a transaction that ran
-- `set local tally.retention = 'on'`, and only of an entry already copied into the archive.
CREATE TABLE "audit_log_archive" (
	"id" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"request_id" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"archived_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_log_archive_entity_idx" ON "audit_log_archive" USING btree ("entity_type","entity_id","id");
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_log' AND current_setting('tally.retention', true) = 'on' THEN
    IF EXISTS (SELECT 1 FROM audit_log_archive WHERE id = OLD.id) THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_log_archive_no_update BEFORE UPDATE OR DELETE ON audit_log_archive
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_archive_no_truncate BEFORE TRUNCATE ON audit_log_archive
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
--> statement-breakpoint
-- After an erased customer's retention period, the bill-to blocks of their invoices lose the
-- person: the one UPDATE the trigger allows, inside a transaction that set `tally.retention`, is
-- to the pseudonym of a customer with an erasure row, keeping invoice, customer and capture time.
CREATE OR REPLACE FUNCTION invoice_bill_to_immutable() RETURNS trigger AS $$
BEGIN
  IF current_setting('tally.retention', true) = 'on'
     AND NEW.invoice_id = OLD.invoice_id AND NEW.customer_id = OLD.customer_id AND NEW.captured_at = OLD.captured_at
     AND NEW.name = 'Deleted customer' AND NEW.email = 'deleted+' || lower(OLD.customer_id) || '@invalid'
     AND NEW.address = '{}'::jsonb AND NEW.tax_ids = '[]'::jsonb THEN
    IF EXISTS (SELECT 1 FROM customer_erasures WHERE customer_id = OLD.customer_id) THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'invoice_bill_to for % is captured once and never changes', OLD.invoice_id;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
ALTER TABLE "customer_erasures" ADD COLUMN "financial_records_purged_at" timestamp with time zone;
--> statement-breakpoint
CREATE INDEX "outbox_events_dispatched_created_idx" ON "outbox_events" USING btree ("created_at") WHERE "dispatched_at" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "stripe_events_processed_received_idx" ON "stripe_events" USING btree ("created_at") WHERE "processed_at" IS NOT NULL;
