ALTER TABLE "customer_notes" ADD COLUMN "payment_id" text;--> statement-breakpoint
ALTER TABLE "customer_notes" ADD COLUMN "refund_amount" bigint;--> statement-breakpoint
ALTER TABLE "customer_notes" ADD CONSTRAINT "customer_notes_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_notes_payment_idx" ON "customer_notes" USING btree ("payment_id") WHERE payment_id is not null;