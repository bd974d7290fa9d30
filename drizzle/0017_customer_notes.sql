CREATE TABLE "customer_notes" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"author" text NOT NULL,
	"body" text NOT NULL,
	"kind" text DEFAULT 'note' NOT NULL,
	"resolves" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customer_notes" ADD CONSTRAINT "customer_notes_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_notes_customer_idx" ON "customer_notes" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_notes_resolves_key" ON "customer_notes" USING btree ("resolves") WHERE resolves is not null;--> statement-breakpoint
CREATE INDEX "customer_notes_escalations_idx" ON "customer_notes" USING btree ("created_at") WHERE kind = 'escalation';--> statement-breakpoint
-- Staff notes are append-only, like the audit log: a note is followed by another, never edited.
CREATE OR REPLACE FUNCTION customer_notes_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'customer_notes is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER customer_notes_no_update BEFORE UPDATE OR DELETE ON customer_notes
  FOR EACH ROW EXECUTE FUNCTION customer_notes_append_only();
