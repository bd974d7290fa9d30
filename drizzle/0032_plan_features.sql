-- Plan features become objects (issue 16, docs/decisions/029-entitlements-cache.md):
-- `{code, meter?, limit?, hard}`. A stored plain code is the boolean feature it always meant,
-- `{code, hard: false}`; objects already there are kept as they are, in their order.
UPDATE "plans" SET "features" = (
  SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(e.f) = 'string' THEN jsonb_build_object('code', e.f, 'hard', false) ELSE e.f END ORDER BY e.n), '[]'::jsonb)
  FROM jsonb_array_elements("plans"."features") WITH ORDINALITY AS e(f, n)
) WHERE EXISTS (SELECT 1 FROM jsonb_array_elements("plans"."features") AS x(f) WHERE jsonb_typeof(x.f) = 'string');--> statement-breakpoint
-- One row per (customer, feature, threshold, period) ever reached: the key that makes the 80% and
-- 100% notices (email + `usage.threshold_reached`) happen once, whatever the number of concurrent
-- ingests that cross it. `period_start` is the granting subscription's current period start.
CREATE TABLE "usage_threshold_notices" (
	"customer_id" text NOT NULL,
	"feature_code" text NOT NULL,
	"threshold" integer NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"subscription_id" text NOT NULL,
	"meter_code" text NOT NULL,
	"limit" numeric NOT NULL,
	"used" numeric NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "usage_threshold_notices_pkey" PRIMARY KEY("customer_id","feature_code","threshold","period_start")
);
