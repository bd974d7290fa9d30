-- The batched billing run writes an invoice's bill-to block before the invoice itself (like its
-- lines, migration 0020): everything that does not need the invoice number is written before the
-- number block is taken, so the series counter stays locked for as little of the transaction as
-- possible. This foreign key is checked when the transaction sets it back to immediate; everywhere
-- else it stays immediate.
ALTER TABLE "invoice_bill_to" ALTER CONSTRAINT "invoice_bill_to_invoice_id_invoices_id_fk" DEFERRABLE INITIALLY IMMEDIATE;
