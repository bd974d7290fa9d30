-- A card removed in Tally is detached at the gateway too; gateway_detached_at records that it was,
-- and the gateway janitor (lib/services/payments/gateway-sync.ts) works through the cards still to
-- do (the partial index). The sandbox keeps no cards, and account deletions that already detached
-- theirs are done; every other card removed before now is detached by the janitor on its first run.
ALTER TABLE "payment_methods" ADD COLUMN "gateway_detached_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "payment_methods_gateway_detach_due_idx" ON "payment_methods" USING btree ("detached_at") WHERE "payment_methods"."detached_at" is not null and "payment_methods"."gateway_detached_at" is null;--> statement-breakpoint
UPDATE "payment_methods" SET "gateway_detached_at" = "detached_at" WHERE "detached_at" IS NOT NULL AND "gateway" = 'sandbox';--> statement-breakpoint
UPDATE "payment_methods" pm SET "gateway_detached_at" = e."gateway_detached_at"
  FROM "customer_erasures" e
  WHERE e."customer_id" = pm."customer_id" AND e."gateway_detached_at" IS NOT NULL AND pm."detached_at" IS NOT NULL AND pm."gateway_detached_at" IS NULL;
