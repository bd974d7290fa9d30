-- Stripe Tax's decision for a customer's place (decision 039, "Stripe Tax"): asked when the customer's
-- address, tax ids or exemption change and daily for stale ones, so invoices are planned offline.
ALTER TABLE "customers" ADD COLUMN "provided_tax" jsonb;
