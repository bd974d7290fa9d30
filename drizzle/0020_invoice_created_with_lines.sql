-- An invoice can be created already finalized together with its lines (the batched billing run
-- does, instead of inserting a draft and finalizing it in a second write): inside such a
-- transaction the lines are inserted first — the line trigger sees no invoice yet, let alone a
-- finalized one — and this foreign key is checked when the transaction sets it back to immediate.
-- Everywhere else it stays immediate, and a finalized invoice's lines still never change.
ALTER TABLE "invoice_lines" ALTER CONSTRAINT "invoice_lines_invoice_id_invoices_id_fk" DEFERRABLE INITIALLY IMMEDIATE;
