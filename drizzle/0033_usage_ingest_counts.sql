-- Ingest health (docs/decisions/028-usage-metering.md): per minute, how many usage events were
-- accepted, were duplicates, and were rejected by each code. Upserted by the ingest statement itself
-- (no extra round trip); `slot` spreads concurrent writers of one minute over a few rows so they
-- never queue on one row's lock (readers add the slots up).
CREATE TABLE "usage_ingest_counts" (
	"livemode" boolean NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"slot" smallint NOT NULL,
	"accepted" bigint DEFAULT 0 NOT NULL,
	"duplicates" bigint DEFAULT 0 NOT NULL,
	"rejected" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "usage_ingest_counts_pkey" PRIMARY KEY("livemode","minute","slot")
);
--> statement-breakpoint
-- {code: count} + {code: count}, per code.
CREATE OR REPLACE FUNCTION usage_ingest_add_counts(a jsonb, b jsonb) RETURNS jsonb AS $$
  SELECT coalesce(jsonb_object_agg(key, total), '{}'::jsonb)
    FROM (SELECT key, sum(value::bigint) AS total
            FROM (SELECT * FROM jsonb_each_text(a) UNION ALL SELECT * FROM jsonb_each_text(b)) pairs
           GROUP BY key) sums
$$ LANGUAGE sql IMMUTABLE;
--> statement-breakpoint
-- Every version of the given meter codes, read with a snapshot of its own (a volatile function
-- takes a fresh one per query): the ingest statement takes the codes' shared advisory locks first
-- and passes their count in, so the versions it writes rollups for include any version committed
-- while it waited — one statement, no explicit transaction (docs/decisions/028-usage-metering.md).
CREATE OR REPLACE FUNCTION usage_meter_versions(p_livemode boolean, p_codes text[], p_locked bigint) RETURNS SETOF meters AS $$
BEGIN
  RETURN QUERY SELECT * FROM meters WHERE livemode = p_livemode AND code = ANY(p_codes);
END;
$$ LANGUAGE plpgsql VOLATILE;
