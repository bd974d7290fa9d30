-- API cost budgets and quota warnings (issue 17 item 4, docs/decisions/031-api-costs.md): a monthly
-- budget per provider (provider_code) or for all providers (null), one per mode, provider and
-- currency; each alert threshold (percent of the amount) fires once per budget and UTC month, and each
-- 80% / 100% quota warning once per provider and quota window (a UTC day or month). The notices'
-- primary keys decide between concurrent checks: the check that inserts the row writes the event.
CREATE TABLE "api_cost_budgets" (
	"id" text PRIMARY KEY NOT NULL,
	"provider_code" text,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"period" text DEFAULT 'month' NOT NULL,
	"alert_thresholds" jsonb DEFAULT '[50,80,100]'::jsonb NOT NULL,
	"livemode" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_cost_budgets_amount_check" CHECK ("amount" > 0),
	CONSTRAINT "api_cost_budgets_period_check" CHECK ("period" = 'month')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "api_cost_budgets_scope_key" ON "api_cost_budgets" USING btree ("livemode",coalesce("provider_code", ''),"currency");
--> statement-breakpoint
CREATE TABLE "api_cost_budget_notices" (
	"budget_id" text NOT NULL REFERENCES "api_cost_budgets"("id") ON DELETE CASCADE,
	"period_start" timestamp with time zone NOT NULL,
	"threshold" integer NOT NULL,
	"spent" bigint NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"livemode" boolean NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "api_cost_budget_notices_pkey" PRIMARY KEY("budget_id","period_start","threshold")
);
--> statement-breakpoint
CREATE INDEX "api_cost_budget_notices_period_idx" ON "api_cost_budget_notices" USING btree ("livemode","period_start");
--> statement-breakpoint
CREATE TABLE "api_cost_quota_notices" (
	"livemode" boolean NOT NULL,
	"provider_code" text NOT NULL,
	"period" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"threshold" integer NOT NULL,
	"quota_limit" numeric NOT NULL,
	"used" numeric NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "api_cost_quota_notices_pkey" PRIMARY KEY("livemode","provider_code","period","period_start","threshold")
);
