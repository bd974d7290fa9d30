-- Money for the reader (docs/decisions/041-money-for-the-reader.md): a customer's preferred locales
-- (BCP 47, best first; the portal, hosted pages and emails format in the first one Tally supports)
-- and a staff member's own locale for the console (null: the browser's, else the business's).
ALTER TABLE "customers" ADD COLUMN "preferred_locales" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "locale" text;
