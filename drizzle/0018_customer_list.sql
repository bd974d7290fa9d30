-- The console's customer list (docs/decisions/015-customer-list.md): trigram search needs pg_trgm
-- (PGlite loads its contrib build in db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
DROP INDEX "customers_email_idx";--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "current_subscription_id" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "current_subscription_status" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "current_plan_id" text;--> statement-breakpoint
CREATE INDEX "customers_list_name_idx" ON "customers" USING btree (lower(coalesce("name", "email")),"id");--> statement-breakpoint
CREATE INDEX "customers_list_balance_idx" ON "customers" USING btree ("credit_balance","id");--> statement-breakpoint
CREATE INDEX "customers_list_subscription_status_idx" ON "customers" USING btree ("current_subscription_status","created_at","id");--> statement-breakpoint
CREATE INDEX "customers_list_plan_idx" ON "customers" USING btree ("current_plan_id","created_at","id");--> statement-breakpoint
CREATE INDEX "customers_list_dunning_idx" ON "customers" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "customers_list_country_idx" ON "customers" USING btree (("address" ->> 'country'),"created_at","id");--> statement-breakpoint
CREATE INDEX "customers_list_currency_idx" ON "customers" USING btree ("currency","created_at","id");--> statement-breakpoint
CREATE INDEX "customers_list_search_idx" ON "customers" USING gin ((coalesce("name", '') || ' ' || "email") gin_trgm_ops) WITH (gin_pending_list_limit=256);--> statement-breakpoint
CREATE INDEX "customers_email_idx" ON "customers" USING btree ("email","id");--> statement-breakpoint
-- A finer sample of the searched text: the planner estimates how many customers a '%term%' matches
-- from it, and that estimate decides between walking the sort's index and reading the trigram index.
ALTER INDEX "customers_list_search_idx" ALTER COLUMN 1 SET STATISTICS 1000;
--> statement-breakpoint
-- A customer's current subscription, its status and its plan, kept on the customer row so the list
-- filters through an index. The current subscription is a live one before an incomplete one before
-- an ended one (canceled, incomplete_expired), then the newest; its plan is that of its first item.
-- The customer rows are locked first (in id order), so the summary is computed from a snapshot
-- that sees every change committed before the lock was granted.
CREATE OR REPLACE FUNCTION customer_list_refresh(customer_ids text[]) RETURNS void AS $$
BEGIN
  PERFORM 1 FROM customers WHERE id = ANY(customer_ids) ORDER BY id FOR UPDATE;
  UPDATE customers c
     SET current_subscription_id = cur.subscription_id,
         current_subscription_status = cur.status,
         current_plan_id = cur.plan_id
    FROM (
      SELECT ids.id AS customer_id, s.id AS subscription_id, s.status, s.plan_id
        FROM (SELECT DISTINCT unnest(customer_ids) AS id) ids
        LEFT JOIN LATERAL (
          SELECT s.id, s.status,
                 (SELECT p.plan_id FROM subscription_items si JOIN prices p ON p.id = si.price_id
                   WHERE si.subscription_id = s.id ORDER BY si.position, si.id LIMIT 1) AS plan_id
            FROM subscriptions s
           WHERE s.customer_id = ids.id
           ORDER BY CASE WHEN s.status IN ('canceled', 'incomplete_expired') THEN 2 WHEN s.status = 'incomplete' THEN 1 ELSE 0 END,
                    s.created_at DESC, s.id DESC
           LIMIT 1
        ) s ON true
    ) cur
   WHERE c.id = cur.customer_id
     AND (c.current_subscription_id, c.current_subscription_status, c.current_plan_id)
         IS DISTINCT FROM (cur.subscription_id, cur.status, cur.plan_id);
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_list_subscriptions_inserted() RETURNS trigger AS $$
BEGIN
  PERFORM customer_list_refresh(ARRAY(SELECT DISTINCT customer_id FROM inserted_rows));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_list_subscriptions_deleted() RETURNS trigger AS $$
BEGIN
  PERFORM customer_list_refresh(ARRAY(SELECT DISTINCT customer_id FROM deleted_rows));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_list_subscription_updated() RETURNS trigger AS $$
BEGIN
  PERFORM customer_list_refresh(ARRAY[OLD.customer_id, NEW.customer_id]);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_list_items_inserted() RETURNS trigger AS $$
BEGIN
  PERFORM customer_list_refresh(ARRAY(SELECT DISTINCT s.customer_id FROM inserted_rows i JOIN subscriptions s ON s.id = i.subscription_id));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_list_items_deleted() RETURNS trigger AS $$
BEGIN
  PERFORM customer_list_refresh(ARRAY(SELECT DISTINCT s.customer_id FROM deleted_rows i JOIN subscriptions s ON s.id = i.subscription_id));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_list_item_updated() RETURNS trigger AS $$
BEGIN
  PERFORM customer_list_refresh(ARRAY(SELECT DISTINCT s.customer_id FROM subscriptions s WHERE s.id IN (OLD.subscription_id, NEW.subscription_id)));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Inserts and deletes are handled per statement (a bulk insert refreshes each customer once);
-- updates per row, and only when what the summary depends on changed (renewals never fire them).
CREATE TRIGGER customer_list_subscriptions_inserted AFTER INSERT ON subscriptions
  REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_list_subscriptions_inserted();
--> statement-breakpoint
CREATE TRIGGER customer_list_subscriptions_deleted AFTER DELETE ON subscriptions
  REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_list_subscriptions_deleted();
--> statement-breakpoint
CREATE TRIGGER customer_list_subscription_updated AFTER UPDATE OF status, customer_id, created_at ON subscriptions
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.customer_id IS DISTINCT FROM NEW.customer_id OR OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION customer_list_subscription_updated();
--> statement-breakpoint
CREATE TRIGGER customer_list_items_inserted AFTER INSERT ON subscription_items
  REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_list_items_inserted();
--> statement-breakpoint
CREATE TRIGGER customer_list_items_deleted AFTER DELETE ON subscription_items
  REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_list_items_deleted();
--> statement-breakpoint
CREATE TRIGGER customer_list_item_updated AFTER UPDATE OF subscription_id, price_id, position ON subscription_items
  FOR EACH ROW WHEN (OLD.subscription_id IS DISTINCT FROM NEW.subscription_id OR OLD.price_id IS DISTINCT FROM NEW.price_id OR OLD.position IS DISTINCT FROM NEW.position)
  EXECUTE FUNCTION customer_list_item_updated();
--> statement-breakpoint
-- Existing customers.
SELECT customer_list_refresh(ARRAY(SELECT DISTINCT customer_id FROM subscriptions));
