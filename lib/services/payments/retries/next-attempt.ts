import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { payments } from "@/db/schema";
import type { InvoiceRow } from "@/db/queries/invoices";
import { DEFAULT_RETRY_DAYS, nextRetryAt, type Decline } from "@/lib/payments/decline-policy";
import { getSetting } from "../../settings/settings";

/**
 * The first instant of the schedule still ahead of `asOf`, after `failedAttempts` failures that
 * started at `firstFailureAt`. A retry that ran late (the runner was down) spends the points it
 * missed rather than firing them all at once, so an invoice is never retried more often than the
 * schedule says. Null when the decline must not be retried or the schedule is spent.
 */
export function nextRetryAfter(
  firstFailureAt: Date,
  failedAttempts: number,
  decline: Decline,
  asOf: Date,
  schedule: readonly number[] = DEFAULT_RETRY_DAYS,
): Date | null {
  for (let n = Math.max(1, failedAttempts); ; n++) {
    const at = nextRetryAt(firstFailureAt, n, decline, schedule);
    if (at === null || at > asOf) return at;
  }
}

/**
 * When the retry schedule charges this invoice next, after the failure just recorded in `tx`
 * (the payment's row already says failed). Only invoices Tally collects itself are retried; the
 * first invoice of a subscription that never started is not, because the customer was at checkout
 * and saw the decline — retrying it days later would charge someone who walked away.
 */
export async function nextPaymentAttemptAfterFailure(
  tx: Executor,
  input: { invoice: InvoiceRow; subscriptionStatus: string | null; decline: Decline; asOf: Date; schedule?: readonly number[] },
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
  return nextRetryAfter(first.settledAt ?? first.createdAt, failed.length, input.decline, input.asOf, schedule);
}
