CREATE TABLE "customer_erasures" (
	"customer_id" text PRIMARY KEY NOT NULL,
	"requested_by_type" text NOT NULL,
	"requested_by_id" text NOT NULL,
	"erased_at" timestamp with time zone NOT NULL,
	"retain_until" timestamp with time zone NOT NULL,
	"gateway_detached_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoice_bill_to" (
	"invoice_id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"name" text,
	"email" text NOT NULL,
	"address" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tax_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"captured_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invoice_bill_to" ADD CONSTRAINT "invoice_bill_to_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invoice_bill_to_customer_idx" ON "invoice_bill_to" USING btree ("customer_id");--> statement-breakpoint
-- A bill-to block is captured once, when its invoice is finalized, and never rewritten.
CREATE OR REPLACE FUNCTION invoice_bill_to_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'invoice_bill_to for % is captured once and never changes', OLD.invoice_id;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER invoice_bill_to_no_update BEFORE UPDATE ON invoice_bill_to
  FOR EACH ROW EXECUTE FUNCTION invoice_bill_to_immutable();
