import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { payments } from "@/db/schema";
import type { InvoiceRow } from "@/db/queries/invoices";
import { nextRetryAfter, type Decline } from "@/lib/billing/retries/policy";
import { getSetting } from "../../settings/settings";

/**
 * When the retry schedule charges this invoice next, after the failure just recorded in `tx`
 * (the payment's row already says failed), in calendar days of the customer's zone. Only invoices Tally collects itself are retried; the
 * first invoice of a subscription that never started is not, because the customer was at checkout
 * and saw the decline — retrying it days later would charge someone who walked away.
 */
export async function nextPaymentAttemptAfterFailure(
  tx: Executor,
  input: { invoice: InvoiceRow; subscriptionStatus: string | null; decline: Decline; asOf: Date; timeZone: string; schedule?: readonly number[] },
): Promise<Date | null> {
  const { invoice } = input;
  if (invoice.collectionMethod !== "charge_automatically") return null;
  if (invoice.billingReason === "subscription_create" && input.subscriptionStatus === "incomplete") return null;
  const failed = await tx
    .select({ settledAt: payments.settledAt, createdAt: payments.createdAt })
    .from(payments)
    .where(and(eq(payments.invoiceId, invoice.id), eq(payments.status, "failed")))
    .orderBy(asc(payments.attempt));
  const first = failed[0];
  if (!first) return null;
  const schedule = input.schedule ?? (await getSetting(tx, "payments.retry_schedule_days"));
  return nextRetryAfter(first.settledAt ?? first.createdAt, failed.length, input.decline, input.asOf, input.timeZone, schedule);
}
