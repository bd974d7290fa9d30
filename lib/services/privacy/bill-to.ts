import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { customers, invoiceBillTo, type Address, type TaxId } from "@/db/schema";
import type { InvoiceRow } from "@/db/queries/invoices";
import { columnOf, recordSet, type SetColumn } from "@/db/set-sql";

export interface BillTo {
  name: string | null;
  email: string;
  address: Address;
  taxIds: TaxId[];
}

/**
 * Record who the invoice is issued to, as the customer stands now. Called when an invoice is
 * finalized, and by account deletion for invoices finalized before capture existed; the first
 * capture wins, so an invoice keeps the bill-to it was issued with.
 */
export async function captureBillTo(tx: Executor, invoice: Pick<InvoiceRow, "id" | "customerId">, at: Date): Promise<void> {
  await captureBillToMany(tx, [{ invoiceId: invoice.id, customerId: invoice.customerId, at }]);
}

/** captureBillTo for many invoices (the billing run's batches), in one statement: each copies its customer's row as it is now. */
export async function captureBillToMany(tx: Executor, invoices: readonly { invoiceId: string; customerId: string; at: Date }[]): Promise<void> {
  if (invoices.length === 0) return;
  const cols: SetColumn<(typeof invoices)[number]>[] = [
    { name: "invoice_id", type: "text", value: (i) => i.invoiceId },
    { name: "customer_id", type: "text", value: (i) => i.customerId },
    { name: "captured_at", type: "timestamptz", value: (i) => i.at },
  ];
  const v = (name: string) => sql.raw(columnOf(cols, name));
  await tx.execute(sql`
    insert into ${invoiceBillTo} (invoice_id, customer_id, name, email, address, tax_ids, captured_at)
    select ${v("invoice_id")}, ${customers.id}, ${customers.name}, ${customers.email}, ${customers.address}, ${customers.taxIds}, ${v("captured_at")}
    from ${recordSet(invoices, cols)}
    join ${customers} on ${customers.id} = ${v("customer_id")}
    on conflict (invoice_id) do nothing`);
}

/** The bill-to printed on an invoice: the captured block, or the customer's current details when none was captured. */
export async function billToOf(tx: Executor, invoice: Pick<InvoiceRow, "id" | "customerId">): Promise<BillTo | null> {
  const [captured] = await tx.select().from(invoiceBillTo).where(eq(invoiceBillTo.invoiceId, invoice.id));
  if (captured) return { name: captured.name, email: captured.email, address: captured.address, taxIds: captured.taxIds };
  const [customer] = await tx.select().from(customers).where(eq(customers.id, invoice.customerId));
  return customer ? { name: customer.name, email: customer.email, address: customer.address, taxIds: customer.taxIds } : null;
}
