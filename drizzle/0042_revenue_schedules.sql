-- Revenue recognition and the monthly journal (issue 18 items 4 and 6, decision 033). Schedules are
-- computed per month from the invoices, not stored; these indexes let a month find its lines: those
-- still being served at its start, the invoices finalized or voided in it, and the credit notes
-- issued in it and on a line.
CREATE INDEX "invoice_lines_period_end_idx" ON "invoice_lines" USING btree ("period_end");
--> statement-breakpoint
CREATE INDEX "invoices_finalized_at_idx" ON "invoices" USING btree ("finalized_at") WHERE "finalized_at" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "invoices_voided_at_idx" ON "invoices" USING btree ("voided_at") WHERE "voided_at" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "credit_note_lines_invoice_line_idx" ON "credit_note_lines" USING btree ("invoice_line_id");
--> statement-breakpoint
CREATE INDEX "credit_notes_created_idx" ON "credit_notes" USING btree ("created_at");
