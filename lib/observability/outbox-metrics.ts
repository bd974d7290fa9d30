import { inTextArray, type Executor } from "@/db/client";
import { invoices } from "@/db/schema";
import { errorField, log } from "./logger";
import { metrics } from "./metrics";

/** The status an invoice event announces: the `status` label of tally_invoices_total. */
const INVOICE_STATUS: Readonly<Record<string, string>> = {
  "invoice.finalized": "finalized",
  "invoice.paid": "paid",
  "invoice.voided": "void",
  "invoice.marked_uncollectible": "uncollectible",
};

/** The payment outcome an event announces: the `outcome` label of tally_payments_total. */
function paymentOutcome(event: { type: string; payload: Record<string, unknown> }): string | null {
  if (event.type === "invoice.paid") return typeof event.payload.payment === "string" ? "succeeded" : null;
  if (event.type === "invoice.payment_failed") return "failed";
  if (event.type === "invoice.payment_action_required") return "requires_action";
  if (event.type === "payment.refunded") return "refunded";
  return null;
}

/**
 * Count invoices and payments from the outbox events just marked dispatched (decision 040): every
 * writer of an invoice or a payment result (the billing run's batches, the per-subscription path,
 * prorations, one-off and late-usage invoices, retries, Stripe webhooks, the reconciliation)
 * announces it there in its own transaction, so this counts each once, after it committed, and never
 * a change that rolled back. The invoices' billing reasons are read in one query per batch.
 */
export async function countDispatchedEvents(db: Executor, events: readonly { type: string; payload: Record<string, unknown> }[]): Promise<void> {
  const m = metrics();
  const invoiceEvents = events.filter((e) => INVOICE_STATUS[e.type] !== undefined && typeof e.payload.invoice === "string");
  for (const event of events) {
    const outcome = paymentOutcome(event);
    if (outcome) m.payments.inc({ outcome });
  }
  if (invoiceEvents.length === 0) return;
  try {
    const ids = [...new Set(invoiceEvents.map((e) => String(e.payload.invoice)))];
    const rows = await db.select({ id: invoices.id, billingReason: invoices.billingReason }).from(invoices).where(inTextArray(invoices.id, ids));
    const reasonOf = new Map(rows.map((r) => [r.id, r.billingReason]));
    for (const event of invoiceEvents) {
      m.invoices.inc({ billing_reason: reasonOf.get(String(event.payload.invoice)) ?? "unknown", status: INVOICE_STATUS[event.type] ?? "unknown" });
    }
  } catch (error) {
    log.warn({ ...errorField(error) }, "counting dispatched invoice events failed");
  }
}
