-- Pass-through rebilling of API costs (issue 17 item 9, decision 031): a provider marked for rebilling
-- names the sum meter its attributed costs feed (rebill_meter), the markup (rebill_markup_bps, from
-- 0035) and the currency the meter's amounts are in (rebill_currency). All three or none.
ALTER TABLE "cost_providers" ADD COLUMN "rebill_meter" text;
--> statement-breakpoint
ALTER TABLE "cost_providers" ADD COLUMN "rebill_currency" text;
--> statement-breakpoint
ALTER TABLE "cost_providers" ADD CONSTRAINT "cost_providers_rebill_check" CHECK (
	("rebill_markup_bps" IS NULL AND "rebill_meter" IS NULL AND "rebill_currency" IS NULL)
	OR ("rebill_markup_bps" >= 0 AND "rebill_meter" IS NOT NULL AND "rebill_currency" IS NOT NULL)
);
