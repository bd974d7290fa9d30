-- Rate limits every instance shares (issue 20 item 5, lib/http/rate-limiter.ts): rate-limiter-flexible's
-- PostgreSQL store, in its own table shape (key, points, expire in epoch ms). UNLOGGED: a budget is
-- seconds to minutes of state, not worth a WAL write per request, and a crash may forget it.
CREATE UNLOGGED TABLE IF NOT EXISTS "rate_limits" (
	"key" varchar(255) PRIMARY KEY NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"expire" bigint
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "rate_limits_expire_idx" ON "rate_limits" USING btree ("expire");
