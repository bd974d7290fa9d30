CREATE TABLE "meters" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"version" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"name" text NOT NULL,
	"aggregation" text NOT NULL,
	"value_property" text,
	"unique_property" text,
	"filters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"livemode" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_event_identifiers" (
	"livemode" boolean NOT NULL,
	"identifier" text NOT NULL,
	"event_id" text NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	CONSTRAINT "usage_event_identifiers_pkey" PRIMARY KEY("livemode","identifier")
);
--> statement-breakpoint
-- Usage events (docs/decisions/028-usage-metering.md): append-only, partitioned by month on
-- "timestamp" on PostgreSQL; the embedded PGlite keeps one plain table (a single-user database that
-- never grows to where partitions pay). Both get the same columns, keys and indexes.
DO $$
BEGIN
  EXECUTE $ddl$CREATE TABLE "usage_events" (
  "id" text NOT NULL,
  "identifier" text NOT NULL,
  "meter_code" text NOT NULL,
  "customer_id" text NOT NULL,
  "timestamp" timestamp with time zone NOT NULL,
  "properties" jsonb DEFAULT '{}'::jsonb NOT NULL,
  "late" boolean DEFAULT false NOT NULL,
  "livemode" boolean DEFAULT false NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "usage_events_pkey" PRIMARY KEY("timestamp","id")
)$ddl$
    || CASE WHEN version() LIKE '%PGlite%' THEN '' ELSE ' PARTITION BY RANGE ("timestamp")' END;
END $$;
--> statement-breakpoint
CREATE TABLE "usage_rollup_values" (
	"meter_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "usage_rollup_values_pkey" PRIMARY KEY("meter_id","customer_id","hour","value")
);
--> statement-breakpoint
CREATE TABLE "usage_rollups" (
	"meter_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"event_count" bigint NOT NULL,
	"value_sum" numeric,
	"value_max" numeric,
	"last_timestamp" timestamp with time zone,
	"last_identifier" text,
	"last_value" numeric,
	CONSTRAINT "usage_rollups_pkey" PRIMARY KEY("meter_id","customer_id","hour")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "meters_code_version_key" ON "meters" USING btree ("livemode","code","version");--> statement-breakpoint
CREATE INDEX "usage_events_customer_idx" ON "usage_events" USING btree ("customer_id","meter_code","timestamp");--> statement-breakpoint
CREATE INDEX "usage_events_late_idx" ON "usage_events" USING btree ("customer_id","timestamp") WHERE late;--> statement-breakpoint
-- One partition per UTC month, made on demand before events of a month are written (the ingest
-- path calls this for each month it has not seen made yet) and ahead of time below. A no-op on the
-- plain table. The advisory lock serialises two writers making the same month.
CREATE OR REPLACE FUNCTION usage_events_ensure_partitions(from_ts timestamptz, to_ts timestamptz) RETURNS integer AS $$
DECLARE
  month_start timestamp := date_trunc('month', from_ts AT TIME ZONE 'UTC');
  made integer := 0;
  part text;
BEGIN
  IF (SELECT c.relkind FROM pg_class c WHERE c.oid = 'usage_events'::regclass) <> 'p' THEN
    RETURN 0;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('usage_events_ensure_partitions'));
  WHILE (month_start AT TIME ZONE 'UTC') < to_ts LOOP
    part := 'usage_events_' || to_char(month_start, 'YYYY_MM');
    IF to_regclass(part) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF usage_events FOR VALUES FROM (%L) TO (%L)',
        part, month_start AT TIME ZONE 'UTC', (month_start + interval '1 month') AT TIME ZONE 'UTC');
      made := made + 1;
    END IF;
    month_start := month_start + interval '1 month';
  END LOOP;
  RETURN made;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
SELECT usage_events_ensure_partitions(now() - interval '1 month', now() + interval '3 months');
--> statement-breakpoint
-- Append-only: an event, once stored, is what was billed from; corrections are new events. A
-- statement trigger costs nothing per inserted row. (Deleting stays possible for data retention.)
CREATE OR REPLACE FUNCTION usage_events_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'usage_events is append-only';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER usage_events_no_update BEFORE UPDATE ON usage_events
  FOR EACH STATEMENT EXECUTE FUNCTION usage_events_append_only();
