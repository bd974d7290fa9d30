-- Tax jurisdictions (issue 19, decision 039): rates staff set, with the days they are in force (read
-- over the rates Tally ships), the seller's tax registrations (a new install has none stored and is
-- registered in TALLY_DEFAULT_COUNTRY), and a customer's exemption certificate.
CREATE TABLE "tax_rates" (
	"id" text PRIMARY KEY NOT NULL,
	"country" text NOT NULL,
	"region" text,
	"kind" text NOT NULL,
	"percentage" numeric NOT NULL,
	"effective_from" date,
	"effective_to" date,
	"saas_taxable" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "tax_rates_place_idx" ON "tax_rates" USING btree ("country","region","effective_from");
--> statement-breakpoint
CREATE TABLE "tax_registrations" (
	"id" text PRIMARY KEY NOT NULL,
	"country" text NOT NULL,
	"region" text,
	"scheme" text DEFAULT 'standard' NOT NULL,
	"active_from" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "tax_registrations_place_key" ON "tax_registrations" USING btree ("country",coalesce("region", ''));
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "tax_exemption_certificate" text;
