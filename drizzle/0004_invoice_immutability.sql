-- Finalized invoices are immutable: once an invoice has a number, its money and its lines never
-- change. Only its payment state (status, amounts paid/remaining/credited, paid/voided times) moves.
CREATE OR REPLACE FUNCTION invoices_immutable_once_finalized() RETURNS trigger AS $$
BEGIN
  IF OLD.finalized_at IS NOT NULL AND (
       NEW.number IS DISTINCT FROM OLD.number
    OR NEW.customer_id IS DISTINCT FROM OLD.customer_id
    OR NEW.subscription_id IS DISTINCT FROM OLD.subscription_id
    OR NEW.currency IS DISTINCT FROM OLD.currency
    OR NEW.billing_reason IS DISTINCT FROM OLD.billing_reason
    OR NEW.period_start IS DISTINCT FROM OLD.period_start
    OR NEW.period_end IS DISTINCT FROM OLD.period_end
    OR NEW.subtotal IS DISTINCT FROM OLD.subtotal
    OR NEW.discount_total IS DISTINCT FROM OLD.discount_total
    OR NEW.tax IS DISTINCT FROM OLD.tax
    OR NEW.total IS DISTINCT FROM OLD.total
    OR NEW.credit_applied IS DISTINCT FROM OLD.credit_applied
    OR NEW.amount_due IS DISTINCT FROM OLD.amount_due
    OR NEW.finalized_at IS DISTINCT FROM OLD.finalized_at
    OR NEW.hosted_token IS DISTINCT FROM OLD.hosted_token
  ) THEN
    RAISE EXCEPTION 'invoice % is finalized and immutable', OLD.id;
  END IF;
  IF TG_OP = 'DELETE' AND OLD.finalized_at IS NOT NULL THEN
    RAISE EXCEPTION 'invoice % is finalized and cannot be deleted', OLD.id;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION invoices_immutable_once_finalized();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION invoice_lines_immutable_once_finalized() RETURNS trigger AS $$
DECLARE
  target text := CASE WHEN TG_OP = 'DELETE' THEN OLD.invoice_id ELSE NEW.invoice_id END;
BEGIN
  IF EXISTS (SELECT 1 FROM invoices WHERE id = target AND finalized_at IS NOT NULL)
     OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM invoices WHERE id = OLD.invoice_id AND finalized_at IS NOT NULL)) THEN
    RAISE EXCEPTION 'invoice % is finalized: its lines cannot change', target;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_immutable BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines
  FOR EACH ROW EXECUTE FUNCTION invoice_lines_immutable_once_finalized();
