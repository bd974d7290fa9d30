import { invoiceDueDate } from "./due-date";

/** What finalization sets on an invoice, before its number is known. */
export interface Finalization {
  status: "open" | "paid";
  finalizedAt: Date;
  paidAt: Date | null;
  dueDate: Date;
  amountRemaining: number;
  nextPaymentAttemptAt: Date | null;
}

/**
 * draft → open: the invoice's columns at finalization. Nothing due is paid at once; what is due is
 * owed from now, and one collected automatically is due for a charge from now — unless its first
 * attempt is recorded with the finalization (a renewal charged right after its commit), or it is a
 * subscription's first invoice, charged at checkout where the customer sees the outcome.
 */
export function finalization(
  invoice: { amountDue: number; collectionMethod: "charge_automatically" | "send_invoice"; billingReason: string; daysUntilDue: number | null },
  at: Date,
  timeZone: string,
  opts: { attemptRecorded?: boolean } = {},
): Finalization {
  const paidNow = invoice.amountDue === 0;
  const sweep = !paidNow && invoice.collectionMethod === "charge_automatically" && invoice.billingReason !== "subscription_create" && !opts.attemptRecorded;
  return {
    status: paidNow ? "paid" : "open",
    finalizedAt: at,
    paidAt: paidNow ? at : null,
    dueDate: invoiceDueDate(invoice.collectionMethod, at, invoice.daysUntilDue, timeZone),
    amountRemaining: invoice.amountDue,
    nextPaymentAttemptAt: sweep ? at : null,
  };
}
