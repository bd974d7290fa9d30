import { addDays } from "@/lib/time";

/** Days a send_invoice invoice gives the customer to pay when its subscription names none. */
export const DEFAULT_DAYS_UNTIL_DUE = 30;

/**
 * When a finalized invoice is due: at once when it is charged automatically; `daysUntilDue`
 * calendar days after finalization, in the customer's zone, when it is sent to be paid.
 */
export function invoiceDueDate(collectionMethod: "charge_automatically" | "send_invoice", finalizedAt: Date, daysUntilDue: number | null, timeZone: string): Date {
  return collectionMethod === "send_invoice" ? addDays(finalizedAt, daysUntilDue ?? DEFAULT_DAYS_UNTIL_DUE, timeZone) : finalizedAt;
}
