-- Session cookies (JWTs) carry the user's session version and are refused once it moves on.
ALTER TABLE "users" ADD COLUMN "session_version" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- Whatever writes the row (console, privacy erasure, CLI, plain SQL), a change to who the user is
-- or what they may do ends every session they have. Sign-out bumps the version itself.
CREATE OR REPLACE FUNCTION users_end_sessions_on_change() RETURNS trigger AS $$
BEGIN
  IF NEW.role IS DISTINCT FROM OLD.role
    OR NEW.email IS DISTINCT FROM OLD.email
    OR NEW.password_hash IS DISTINCT FROM OLD.password_hash
    OR NEW.deactivated_at IS DISTINCT FROM OLD.deactivated_at
    OR NEW.customer_id IS DISTINCT FROM OLD.customer_id
  THEN
    NEW.session_version := GREATEST(NEW.session_version, OLD.session_version + 1);
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER users_end_sessions_on_change BEFORE UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION users_end_sessions_on_change();
