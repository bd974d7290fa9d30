-- Usage that may have missed its invoice (issue 16, decision 030): ingest notes the customer when
-- it stores an event from a period that is closed (a late event) or has ended but may not be
-- renewed yet. billLateUsage re-measures each metered line of the customer's invoices from `since`
-- on, bills what was not billed on a supplemental invoice (billing_reason usage_late) and deletes
-- the note; finalized invoices never change.
CREATE TABLE "usage_late_checks" (
	"customer_id" text PRIMARY KEY NOT NULL REFERENCES "customers"("id"),
	"since" timestamp with time zone NOT NULL,
	"noted_at" timestamp with time zone NOT NULL
);
