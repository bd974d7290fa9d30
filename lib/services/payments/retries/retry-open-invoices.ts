import { and, asc, eq } from "drizzle-orm";
import { invoices } from "@/db/schema";
import type { ServiceContext } from "../../context";
import { attemptInvoicePayment, type AttemptResult } from "../../invoices/attempt-payment";
import { errorField, log } from "@/lib/observability/logger";

/**
 * A customer gave us a new default card: charge their open invoices with it at once, oldest
 * first, instead of waiting for the retry schedule (hard declines have no schedule at all).
 * Runs after the card's transaction committed. An invoice that cannot be charged keeps its state
 * and schedule; the error is logged and the rest are still tried, since the card itself is saved.
 */
export async function retryOpenInvoices(ctx: ServiceContext, customerId: string): Promise<AttemptResult[]> {
  const open = await ctx.db
    .select({ id: invoices.id })
    .from(invoices)
    .where(and(eq(invoices.customerId, customerId), eq(invoices.status, "open"), eq(invoices.collectionMethod, "charge_automatically")))
    .orderBy(asc(invoices.finalizedAt), asc(invoices.createdAt), asc(invoices.id));
  const results: AttemptResult[] = [];
  for (const { id } of open) {
    try {
      results.push(await attemptInvoicePayment(ctx, id));
    } catch (error) {
      log.error({ invoice_id: id, ...errorField(error) }, "retrying an invoice with the customer's new card failed");
    }
  }
  return results;
}
