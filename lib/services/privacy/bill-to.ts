import { eq } from "drizzle-orm";
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
 * The bill-to block of an invoice finalized now for `customer` (its row as locked by the caller):
 * who the invoice is issued to, kept with the invoice even if the customer later changes or is
 * deleted. A finalization plan's row (planFinalization, planRenewal).
 */
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
