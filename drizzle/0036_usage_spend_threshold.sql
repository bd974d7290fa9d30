-- A per-subscription spend threshold (issue 16 item 6, decisions 029 and 030): integer minor units
-- in the subscription's currency, null for none. When the period's projected usage cost (the sum of
-- the subscription's metered item amounts so far) reaches 80% and 100% of it, one notice per
-- (subscription, threshold amount, percent, period start) is recorded here — the primary key decides
-- between concurrent checks — and, in the same transaction, a usage.threshold_reached event (kind
-- "spend") that sends the email.
ALTER TABLE "subscriptions" ADD COLUMN "usage_spend_threshold" bigint;
--> statement-breakpoint
CREATE TABLE "usage_spend_notices" (
	"subscription_id" text NOT NULL REFERENCES "subscriptions"("id"),
	"spend_threshold" bigint NOT NULL,
	"threshold" integer NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"customer_id" text NOT NULL,
	"currency" text NOT NULL,
	"amount" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "usage_spend_notices_pkey" PRIMARY KEY("subscription_id","spend_threshold","threshold","period_start")
);
