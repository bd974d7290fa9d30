-- MRR movements (issue 18, decision 032): one row per customer, currency and UTC day on which the
-- customer's MRR moved — the day's MRR, the change and its kind. Derived data: rebuilt from
-- invoices and subscription status history by `npm run tally -- rebuild-mrr`, kept current after
-- each subscription or invoice event for the customer concerned.
CREATE TABLE "mrr_movements" (
	"customer_id" text NOT NULL,
	"currency" text NOT NULL,
	"day" date NOT NULL,
	"mrr" bigint NOT NULL,
	"delta" bigint NOT NULL,
	"kind" text NOT NULL CHECK ("kind" IN ('new', 'expansion', 'contraction', 'churn', 'reactivation')),
	"livemode" boolean NOT NULL,
	CONSTRAINT "mrr_movements_pkey" PRIMARY KEY("customer_id","currency","day")
);
--> statement-breakpoint
CREATE INDEX "mrr_movements_day_idx" ON "mrr_movements" ("livemode","day");
--> statement-breakpoint
-- Trials that ended in a period (GET /analytics/summary's trial conversion rate).
CREATE INDEX "subscription_status_history_trial_end_idx" ON "subscription_status_history" ("at") WHERE "from_status" = 'trialing';
