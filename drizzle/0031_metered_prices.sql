-- Metered prices (issue 16, decision 030): a metered price names the meter version it bills, and a
-- subscription item measures its meter from `usage_from` (null: its period's start). An item that
-- comes in mid-period (a change of items now) measures from the change; an item the change keeps
-- carries its `usage_from` over, so its tiers do not start again.
ALTER TABLE "prices" ADD COLUMN "meter_id" text REFERENCES "meters"("id");--> statement-breakpoint
-- A price that names a meter is metered, and a new metered price names one. NOT VALID: a metered
-- price made before meters existed (it billed as licensed) is left as it was.
ALTER TABLE "prices" ADD CONSTRAINT "prices_metered_meter_check" CHECK (("usage_type" = 'metered') = ("meter_id" IS NOT NULL)) NOT VALID;--> statement-breakpoint
ALTER TABLE "subscription_items" ADD COLUMN "usage_from" timestamp with time zone;
