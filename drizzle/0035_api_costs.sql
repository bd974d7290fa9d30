-- API costs (docs/decisions/031-api-costs.md): providers, their rates (never edited), recorded costs
-- (append-only, month-partitioned on PostgreSQL like usage_events), their identifier keys, hourly
-- rollups, and exchange rates.
CREATE TABLE "cost_providers" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"regions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"quota" jsonb,
	"rebill_markup_bps" integer,
	"livemode" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "cost_providers_code_key" ON "cost_providers" USING btree ("livemode","code");
--> statement-breakpoint
CREATE TABLE "cost_rates" (
	"id" text PRIMARY KEY NOT NULL,
	"provider_id" text NOT NULL REFERENCES "cost_providers"("id"),
	"operation" text NOT NULL,
	"region" text,
	"unit" text NOT NULL,
	"unit_cost_decimal" numeric NOT NULL,
	"currency" text NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "cost_rates_effective_key" ON "cost_rates" USING btree ("provider_id","operation",coalesce("region", ''),"effective_from");
--> statement-breakpoint
CREATE TABLE "api_cost_identifiers" (
	"livemode" boolean NOT NULL,
	"identifier" text NOT NULL,
	"cost_id" text NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	CONSTRAINT "api_cost_identifiers_pkey" PRIMARY KEY("livemode","identifier")
);
--> statement-breakpoint
-- Partitioned by month on PostgreSQL, one plain table on PGlite (as usage_events, drizzle/0030).
DO $$
BEGIN
  EXECUTE $ddl$CREATE TABLE "api_costs" (
  "id" text NOT NULL,
  "identifier" text NOT NULL,
  "provider_code" text NOT NULL,
  "operation" text NOT NULL,
  "region" text,
  "units" numeric NOT NULL,
  "cost" numeric NOT NULL,
  "currency" text NOT NULL,
  "customer_id" text,
  "timestamp" timestamp with time zone NOT NULL,
  "properties" jsonb DEFAULT '{}'::jsonb NOT NULL,
  "late" boolean DEFAULT false NOT NULL,
  "livemode" boolean DEFAULT false NOT NULL,
  "rate_id" text,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "api_costs_pkey" PRIMARY KEY("timestamp","id")
)$ddl$
    || CASE WHEN version() LIKE '%PGlite%' THEN '' ELSE ' PARTITION BY RANGE ("timestamp")' END;
END $$;
--> statement-breakpoint
CREATE INDEX "api_costs_provider_idx" ON "api_costs" USING btree ("livemode","provider_code","timestamp");
--> statement-breakpoint
CREATE INDEX "api_costs_customer_idx" ON "api_costs" USING btree ("customer_id","timestamp");
--> statement-breakpoint
CREATE TABLE "api_cost_rollups" (
	"livemode" boolean NOT NULL,
	"provider_code" text NOT NULL,
	"operation" text NOT NULL,
	"region" text NOT NULL,
	"customer_id" text NOT NULL,
	"currency" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"event_count" bigint NOT NULL,
	"units" numeric NOT NULL,
	"cost" numeric NOT NULL,
	CONSTRAINT "api_cost_rollups_pkey" PRIMARY KEY("livemode","provider_code","operation","region","customer_id","currency","hour")
);
--> statement-breakpoint
CREATE INDEX "api_cost_rollups_hour_idx" ON "api_cost_rollups" USING btree ("livemode","hour");
--> statement-breakpoint
CREATE TABLE "fx_rates" (
	"base" text NOT NULL,
	"quote" text NOT NULL,
	"rate" numeric NOT NULL,
	"date" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fx_rates_pkey" PRIMARY KEY("base","quote","date")
);
--> statement-breakpoint
-- One partition of `parent` per UTC month over [from_ts, to_ts), named parent_YYYY_MM; a no-op when
-- `parent` is a plain table (PGlite). Any month-partitioned table can use it.
CREATE OR REPLACE FUNCTION ensure_month_partitions(parent text, from_ts timestamptz, to_ts timestamptz) RETURNS integer AS $$
DECLARE
  month_start timestamp := date_trunc('month', from_ts AT TIME ZONE 'UTC');
  made integer := 0;
  part text;
BEGIN
  IF (SELECT c.relkind FROM pg_class c WHERE c.oid = parent::regclass) <> 'p' THEN
    RETURN 0;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('ensure_month_partitions:' || parent));
  WHILE (month_start AT TIME ZONE 'UTC') < to_ts LOOP
    part := parent || '_' || to_char(month_start, 'YYYY_MM');
    IF to_regclass(part) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
        part, parent, month_start AT TIME ZONE 'UTC', (month_start + interval '1 month') AT TIME ZONE 'UTC');
      made := made + 1;
    END IF;
    month_start := month_start + interval '1 month';
  END LOOP;
  RETURN made;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
SELECT ensure_month_partitions('api_costs', now() - interval '1 month', now() + interval '3 months');
--> statement-breakpoint
CREATE OR REPLACE FUNCTION api_costs_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'api_costs is append-only';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER api_costs_no_update BEFORE UPDATE ON api_costs
  FOR EACH STATEMENT EXECUTE FUNCTION api_costs_append_only();
