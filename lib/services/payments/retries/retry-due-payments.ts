import { and, asc, eq, isNull, lte, min } from "drizzle-orm";
import type { Db } from "@/db/client";
import { customers, invoices } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { attemptInvoicePayment } from "../../invoices/attempt-payment";

export interface RetryRunResult {
  /** Invoices that were due. */
  due: number;
  /** Charges made (a new attempt each). */
  attempted: number;
  paid: number;
  failed: { invoice: string; error: string }[];
}

export interface RetryFilter {
  /**
   * Only the customers on this test clock, whose time is the clock's (a clock advance passes the
   * instant it stopped at as `now`). Without it, only customers on real time: a test clock's
   * retries happen when the clock is advanced, never by the wall clock.
   */
  testClockId?: string;
  limit?: number;
}

function dueWhere(now: Date, filter: RetryFilter) {
  return and(
    eq(invoices.status, "open"),
    eq(invoices.collectionMethod, "charge_automatically"),
    lte(invoices.nextPaymentAttemptAt, now),
    filter.testClockId ? eq(customers.testClockId, filter.testClockId) : isNull(customers.testClockId),
  );
}

/**
 * The retry schedule's due work: every open invoice collected automatically whose
 * next_payment_attempt_at has come is charged again (a new attempt, a new idempotency key),
 * oldest first, each at most once per run. attemptInvoicePayment clears the invoice's next
 * attempt in the transaction that records the new pending payment and re-checks it under the
 * invoice's lock, so a second run for the same `now` — or one running alongside — charges nothing.
 */
export async function retryDuePayments(db: Db, now: Date, filter: RetryFilter = {}): Promise<RetryRunResult> {
  const due = await db
    .select({ id: invoices.id })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(dueWhere(now, filter))
    .orderBy(asc(invoices.nextPaymentAttemptAt), asc(invoices.id))
    .limit(filter.limit ?? 1000);
  const ctx = { db, actor: systemActor("payment-retries"), now };
  const result: RetryRunResult = { due: due.length, attempted: 0, paid: 0, failed: [] };
  for (const { id } of due) {
    try {
      const attempt = await attemptInvoicePayment(ctx, id, { dueBy: now });
      if (attempt.payment) result.attempted++;
      if (attempt.invoice.status === "paid") result.paid++;
    } catch (error) {
      // E.g. the customer has no card left: stop retrying on the schedule (a new card retries at
      // once) rather than failing on every run; the error is reported in the job's result.
      await db
        .update(invoices)
        .set({ nextPaymentAttemptAt: null })
        .where(and(eq(invoices.id, id), lte(invoices.nextPaymentAttemptAt, now)));
      result.failed.push({ invoice: id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}

/** The earliest retry due by `to` among a test clock's customers, or null. */
export async function nextRetryDueOnClock(db: Db, testClockId: string, to: Date): Promise<Date | null> {
  const [row] = await db
    .select({ at: min(invoices.nextPaymentAttemptAt) })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(dueWhere(to, { testClockId }));
  return row?.at ?? null;
}
