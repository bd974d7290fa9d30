CREATE TABLE "cancellation_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"reason" text NOT NULL,
	"reason_text" text,
	"offer" jsonb,
	"offer_withheld" text,
	"outcome" text,
	"started_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"effective_at" timestamp with time zone,
	"coupon_id" text,
	"livemode" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "retention_offers" (
	"reason" text PRIMARY KEY NOT NULL,
	"offer" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
ALTER TABLE "cancellation_attempts" ADD CONSTRAINT "cancellation_attempts_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cancellation_attempts" ADD CONSTRAINT "cancellation_attempts_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cancellation_attempts_subscription_idx" ON "cancellation_attempts" USING btree ("subscription_id","started_at");--> statement-breakpoint
CREATE INDEX "cancellation_attempts_customer_idx" ON "cancellation_attempts" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "cancellation_attempts_started_idx" ON "cancellation_attempts" USING btree ("started_at");