-- Receipts (docs/decisions/043-receipts.md): one per successful payment, numbered in their own series
-- (RCT-000001, invoice_number_series row "receipt", created on first use), each email of one logged
-- in receipt_sends; the receipt's PDF is attached to its email and kept in email_attachments.
CREATE TABLE "receipts" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"customer_id" text NOT NULL REFERENCES "customers"("id"),
	"invoice_id" text NOT NULL REFERENCES "invoices"("id"),
	"payment_id" text NOT NULL REFERENCES "payments"("id"),
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"method" text NOT NULL,
	"method_label" text NOT NULL,
	"card_brand" text,
	"card_last4" text,
	"paid_at" timestamp with time zone NOT NULL,
	"livemode" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "receipts_payment_key" ON "receipts" USING btree ("payment_id");
--> statement-breakpoint
CREATE UNIQUE INDEX "receipts_number_key" ON "receipts" USING btree ("number");
--> statement-breakpoint
CREATE INDEX "receipts_customer_idx" ON "receipts" USING btree ("customer_id","created_at");
--> statement-breakpoint
CREATE INDEX "receipts_invoice_idx" ON "receipts" USING btree ("invoice_id");
--> statement-breakpoint
CREATE TABLE "receipt_sends" (
	"id" text PRIMARY KEY NOT NULL,
	"receipt_id" text NOT NULL REFERENCES "receipts"("id"),
	"event_id" text NOT NULL,
	"email_id" text,
	"to" text NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "receipt_sends_event_key" ON "receipt_sends" USING btree ("event_id");
--> statement-breakpoint
CREATE INDEX "receipt_sends_receipt_idx" ON "receipt_sends" USING btree ("receipt_id","created_at");
--> statement-breakpoint
CREATE TABLE "email_attachments" (
	"email_id" text NOT NULL REFERENCES "emails"("id") ON DELETE CASCADE,
	"position" integer NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"content" bytea NOT NULL,
	PRIMARY KEY ("email_id","position")
);
