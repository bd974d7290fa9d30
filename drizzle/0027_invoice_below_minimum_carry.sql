ALTER TABLE "invoices" ADD COLUMN "debit_applied" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "carried_to_balance" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- debit_applied is part of a finalized invoice's money, like credit_applied: immutable once finalized.
-- carried_to_balance is payment state (how the amount due was settled), like amount_paid: it may move.
CREATE OR REPLACE FUNCTION invoices_immutable_after_update() RETURNS trigger AS $$
DECLARE
  offending text;
BEGIN
  -- A finalized invoice whose id changed pairs with no new row: refused like any other change.
  SELECT o.id INTO offending
  FROM old_rows o LEFT JOIN new_rows n ON n.id = o.id
  WHERE o.finalized_at IS NOT NULL AND (
       n.id IS NULL
    OR n.number IS DISTINCT FROM o.number
    OR n.customer_id IS DISTINCT FROM o.customer_id
    OR n.subscription_id IS DISTINCT FROM o.subscription_id
    OR n.currency IS DISTINCT FROM o.currency
    OR n.billing_reason IS DISTINCT FROM o.billing_reason
    OR n.period_start IS DISTINCT FROM o.period_start
    OR n.period_end IS DISTINCT FROM o.period_end
    OR n.subtotal IS DISTINCT FROM o.subtotal
    OR n.discount_total IS DISTINCT FROM o.discount_total
    OR n.tax IS DISTINCT FROM o.tax
    OR n.total IS DISTINCT FROM o.total
    OR n.credit_applied IS DISTINCT FROM o.credit_applied
    OR n.debit_applied IS DISTINCT FROM o.debit_applied
    OR n.amount_due IS DISTINCT FROM o.amount_due
    OR n.finalized_at IS DISTINCT FROM o.finalized_at
    OR n.hosted_token IS DISTINCT FROM o.hosted_token)
  LIMIT 1;
  IF offending IS NOT NULL THEN
    RAISE EXCEPTION 'invoice % is finalized and immutable', offending;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql
SET enable_nestloop = off;
