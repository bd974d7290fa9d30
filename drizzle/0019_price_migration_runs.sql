CREATE TABLE "price_migration_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"plan_id" text NOT NULL,
	"from_price_id" text NOT NULL,
	"to_price_id" text NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"batch_size" integer NOT NULL,
	"batches" integer DEFAULT 0 NOT NULL,
	"subscriptions_moved" integer DEFAULT 0 NOT NULL,
	"items_moved" integer DEFAULT 0 NOT NULL,
	"subscriptions_skipped" integer DEFAULT 0 NOT NULL,
	"mrr_before" bigint NOT NULL,
	"mrr_after" bigint NOT NULL,
	"preview" jsonb NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"error" text,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "price_migration_runs" ADD CONSTRAINT "price_migration_runs_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_migration_runs" ADD CONSTRAINT "price_migration_runs_from_price_id_prices_id_fk" FOREIGN KEY ("from_price_id") REFERENCES "public"."prices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_migration_runs" ADD CONSTRAINT "price_migration_runs_to_price_id_prices_id_fk" FOREIGN KEY ("to_price_id") REFERENCES "public"."prices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "price_migration_runs_plan_idx" ON "price_migration_runs" USING btree ("plan_id","id");--> statement-breakpoint
CREATE INDEX "price_migration_runs_from_idx" ON "price_migration_runs" USING btree ("from_price_id");