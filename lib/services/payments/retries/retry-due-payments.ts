import { and, asc, eq, gt, isNull, lte, min, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { customers, invoices } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { isGatewayError } from "@/lib/payments/gateway-error";
import type { ServiceContext } from "../../context";
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

export interface DueRetry {
  id: string;
  customerId: string;
  nextPaymentAttemptAt: Date;
}

/**
 * The invoices whose retry is due by `now`, oldest first (then by id), optionally after a keyset
 * cursor: the retry run's selection, shared with the Inngest fan-out
 * (inngest/functions/payment-retries-fan-out.ts), which pages through it 500 at a time.
 */
export async function selectDuePaymentRetries(
  db: Db,
  now: Date,
  filter: RetryFilter & { after?: { nextPaymentAttemptAt: Date; id: string } } = {},
): Promise<DueRetry[]> {
  const after = filter.after
    ? or(
        gt(invoices.nextPaymentAttemptAt, filter.after.nextPaymentAttemptAt),
        and(eq(invoices.nextPaymentAttemptAt, filter.after.nextPaymentAttemptAt), gt(invoices.id, filter.after.id)),
      )
    : undefined;
  const rows = await db
    .select({ id: invoices.id, customerId: invoices.customerId, nextPaymentAttemptAt: invoices.nextPaymentAttemptAt })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(and(dueWhere(now, filter), after))
    .orderBy(asc(invoices.nextPaymentAttemptAt), asc(invoices.id))
    .limit(filter.limit ?? 1000);
  return rows.filter((r): r is DueRetry => r.nextPaymentAttemptAt !== null);
}

export interface RetryOutcome {
  attempted: boolean;
  paid: boolean;
  error?: string;
}

/**
 * One invoice's due retry (the retry run's per-item work, also the Inngest per-item function's):
 * charged only if still due by `ctx.now`. A failure to charge at all (e.g. the customer has no
 * card left, or the gateway refused) stops the schedule — a new card retries at once — rather than
 * failing on every run; a gateway that did not answer keeps it, for the next run.
 */
export async function retryDuePayment(ctx: ServiceContext, invoiceId: string): Promise<RetryOutcome> {
  try {
    const attempt = await attemptInvoicePayment(ctx, invoiceId, { dueBy: ctx.now });
    return { attempted: attempt.payment !== null, paid: attempt.invoice.status === "paid" };
  } catch (error) {
    // The gateway did not answer: nothing was recorded (or the payment waits, pending, for
    // reconciliation), so the schedule stays and the next run tries again.
    if (isGatewayError(error, "unavailable")) return { attempted: false, paid: false, error: error.message };
    await ctx.db
      .update(invoices)
      .set({ nextPaymentAttemptAt: null })
      .where(and(eq(invoices.id, invoiceId), lte(invoices.nextPaymentAttemptAt, ctx.now)));
    return { attempted: false, paid: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The retry schedule's due work: every open invoice collected automatically whose
 * next_payment_attempt_at has come is charged again (a new attempt, a new idempotency key),
 * oldest first, each at most once per run. attemptInvoicePayment clears the invoice's next
 * attempt in the transaction that records the new pending payment and re-checks it under the
 * invoice's lock, so a second run for the same `now` — or one running alongside — charges nothing.
 */
export async function retryDuePayments(db: Db, now: Date, filter: RetryFilter = {}): Promise<RetryRunResult> {
  const due = await selectDuePaymentRetries(db, now, filter);
  const ctx = { db, actor: systemActor("payment-retries"), now };
  const result: RetryRunResult = { due: due.length, attempted: 0, paid: 0, failed: [] };
  for (const { id } of due) {
    const outcome = await retryDuePayment(ctx, id);
    if (outcome.attempted) result.attempted++;
    if (outcome.paid) result.paid++;
    if (outcome.error !== undefined) result.failed.push({ invoice: id, error: outcome.error });
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
