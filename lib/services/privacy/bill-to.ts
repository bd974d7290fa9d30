import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { customers, invoiceBillTo, type Address, type TaxId } from "@/db/schema";
import type { CustomerRow } from "@/db/queries/customers";
import type { InvoiceRow } from "@/db/queries/invoices";

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
  await tx.execute(sql`
    insert into ${invoiceBillTo} (invoice_id, customer_id, name, email, address, tax_ids, captured_at)
    select ${invoice.id}, ${customers.id}, ${customers.name}, ${customers.email}, ${customers.address}, ${customers.taxIds}, ${at.toISOString()}::timestamptz
    from ${customers} where ${customers.id} = ${invoice.customerId}
    on conflict (invoice_id) do nothing`);
}

/** The bill-to block of an invoice finalized now for `customer` (its row as locked by the caller): a plan's row. */
export function billToValues(customer: Pick<CustomerRow, "id" | "name" | "email" | "address" | "taxIds">, invoiceId: string, at: Date): typeof invoiceBillTo.$inferInsert {
  return { invoiceId, customerId: customer.id, name: customer.name, email: customer.email, address: customer.address, taxIds: customer.taxIds, capturedAt: at };
}

/** The bill-to printed on an invoice: the captured block, or the customer's current details when none was captured. */
export async function billToOf(tx: Executor, invoice: Pick<InvoiceRow, "id" | "customerId">): Promise<BillTo | null> {
  const [captured] = await tx.select().from(invoiceBillTo).where(eq(invoiceBillTo.invoiceId, invoice.id));
  if (captured) return { name: captured.name, email: captured.email, address: captured.address, taxIds: captured.taxIds };
  const [customer] = await tx.select().from(customers).where(eq(customers.id, invoice.customerId));
  return customer ? { name: customer.name, email: customer.email, address: customer.address, taxIds: customer.taxIds } : null;
}
