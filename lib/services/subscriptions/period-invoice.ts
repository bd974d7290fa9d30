import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { invoices } from "@/db/schema";
import type { InvoiceRow } from "@/db/queries/invoices";

/** The invoice that billed the subscription's current period: its first invoice, a renewal, or the invoice of an interval change that restarted the cycle. */
export async function currentPeriodInvoice(tx: Executor, subscriptionId: string, periodStart: Date): Promise<InvoiceRow | undefined> {
  const [row] = await tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.subscriptionId, subscriptionId), eq(invoices.periodStart, periodStart), inArray(invoices.billingReason, ["subscription_create", "subscription_cycle", "subscription_update"])));
  return row;
}
