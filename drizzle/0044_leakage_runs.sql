-- Revenue leakage checks (issue 18 item 5, decision 034): one snapshot per UTC day of what the six
-- rules found, its per-rule counts and amounts and the items, for the console; a second run on the
-- same day replaces the row.
CREATE TABLE "leakage_runs" (
	"day" date PRIMARY KEY NOT NULL,
	"ran_at" timestamp with time zone NOT NULL,
	"totals" jsonb NOT NULL,
	"items" jsonb NOT NULL
);
