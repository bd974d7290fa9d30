-- Room on each page for an invoice's next version: an invoice is updated soon after it is written
-- (paid, retried, voided) and those updates touch no indexed column, so with free space on the
-- page PostgreSQL makes them heap-only (HOT) instead of adding an entry to each of the table's
-- seven indexes. Pages are filled to half, so every row has room for its next version on its own page (at 80%, only
-- about a quarter of the billing run's payment updates found room); old versions are pruned in place.
-- Existing pages change as they are rewritten.
ALTER TABLE "invoices" SET (fillfactor = 50);
