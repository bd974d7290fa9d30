-- The immutability of finalized invoices and their lines (0004), checked once per statement over
-- the statement's transition tables instead of once per row: a billing-run batch writes hundreds of
-- lines and settles hundreds of invoices per statement, and a per-row PL/pgSQL call with its own
-- query cost more than the write. The rules are unchanged: once an invoice has been finalized its
-- money, identity and lines never change and it is never deleted; only its payment state moves.
DROP TRIGGER IF EXISTS invoices_immutable ON invoices;
--> statement-breakpoint
DROP TRIGGER IF EXISTS invoice_lines_immutable ON invoice_lines;
--> statement-breakpoint
DROP FUNCTION IF EXISTS invoices_immutable_once_finalized();
--> statement-breakpoint
DROP FUNCTION IF EXISTS invoice_lines_immutable_once_finalized();
--> statement-breakpoint
CREATE FUNCTION invoices_immutable_after_update() RETURNS trigger AS $$
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
-- Transition tables carry no statistics: without this the planner pairs old and new rows with a
-- nested loop, quadratic in the statement's rows; a hash join on id is linear.
SET enable_nestloop = off;
--> statement-breakpoint
-- Deletes stay checked per row, before the row goes (they are rare, and the message is clearer than the lines' foreign key).
CREATE FUNCTION invoices_never_deleted_once_finalized() RETURNS trigger AS $$
BEGIN
  IF OLD.finalized_at IS NOT NULL THEN
    RAISE EXCEPTION 'invoice % is finalized and cannot be deleted', OLD.id;
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER invoices_immutable_update AFTER UPDATE ON invoices
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION invoices_immutable_after_update();
--> statement-breakpoint
CREATE TRIGGER invoices_immutable_delete BEFORE DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION invoices_never_deleted_once_finalized();
--> statement-breakpoint
-- Lines: none may be added to, changed on, moved to or from, or deleted from a finalized invoice.
-- (An invoice created already finalized has its lines inserted first, in the same transaction —
-- see 0020 — when there is no invoice yet to be finalized.)
CREATE FUNCTION invoice_lines_immutable_after_change() RETURNS trigger AS $$
DECLARE
  touched text[];
  offending text;
BEGIN
  -- Each trigger below passes the transition tables its event has (PL/pgSQL plans a query on first use).
  IF TG_OP = 'INSERT' THEN
    touched := ARRAY(SELECT DISTINCT invoice_id FROM new_rows);
  ELSIF TG_OP = 'UPDATE' THEN
    touched := ARRAY(SELECT invoice_id FROM old_rows UNION SELECT invoice_id FROM new_rows);
  ELSE
    touched := ARRAY(SELECT DISTINCT invoice_id FROM old_rows);
  END IF;
  SELECT i.id INTO offending FROM invoices i WHERE i.id = ANY (touched) AND i.finalized_at IS NOT NULL LIMIT 1;
  IF offending IS NOT NULL THEN
    RAISE EXCEPTION 'invoice % is finalized: its lines cannot change', offending;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_immutable_insert AFTER INSERT ON invoice_lines
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_lines_immutable_after_change();
--> statement-breakpoint
CREATE TRIGGER invoice_lines_immutable_update AFTER UPDATE ON invoice_lines
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_lines_immutable_after_change();
--> statement-breakpoint
CREATE TRIGGER invoice_lines_immutable_delete AFTER DELETE ON invoice_lines
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_lines_immutable_after_change();
