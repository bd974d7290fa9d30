-- Payments by creation time (GET /analytics/summary's payment success and recovery counts over a
-- month, decision 032): without it each summary scanned every payment. Measured in
-- `npm run bench:analytics` (bench/RESULTS.md, A1).
CREATE INDEX IF NOT EXISTS "payments_created_at_idx" ON "payments" ("created_at");
