import { and, asc, gt, isNull, lte, or, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { subscriptions } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { processDueSubscription } from "../subscriptions/process-due";
import { chargeRenewals } from "./batch/charge-batch";
import { renewBatch } from "./batch/renew-batch";

export interface BillingRunResult {
  processed: number;
  steps: number;
  /** Renewals written by the batched path (the rest of `steps` took the per-subscription path). */
  batched: number;
  failed: { subscription: string; error: string }[];
}

export interface DueSubscription {
  id: string;
  customerId: string;
  nextDueAt: Date;
}

/**
 * The subscriptions (not on a test clock) with something due by `now`, oldest due first (then by
 * id), optionally after a keyset cursor: the billing run's selection, shared with the Inngest
 * fan-out (inngest/functions/renewals-fan-out.ts), which pages through it 500 at a time.
 */
export async function selectDueSubscriptions(
  db: Db,
  now: Date,
  opts: { limit?: number; after?: { nextDueAt: Date; id: string } } = {},
): Promise<DueSubscription[]> {
  const after = opts.after
    ? or(gt(subscriptions.nextDueAt, opts.after.nextDueAt), and(eq(subscriptions.nextDueAt, opts.after.nextDueAt), gt(subscriptions.id, opts.after.id)))
    : undefined;
  const rows = await db
    .select({ id: subscriptions.id, customerId: subscriptions.customerId, nextDueAt: subscriptions.nextDueAt })
    .from(subscriptions)
    .where(and(lte(subscriptions.nextDueAt, now), isNull(subscriptions.testClockId), after))
    .orderBy(asc(subscriptions.nextDueAt), asc(subscriptions.id))
    .limit(opts.limit ?? 1000);
  return rows.filter((r): r is DueSubscription => r.nextDueAt !== null);
}

export interface BillingRunOptions {
  /** Subscriptions claimed per batch (one transaction). Default 500. */
  batchSize?: number;
  /** Gateway calls in flight at once while a batch is charged. Default 8. */
  chargeConcurrency?: number;
}

/**
 * The billing run: every subscription (not on a test clock) with something due by `now` —
 * renewals, trial ends, scheduled changes, pause resumes and auto-cancels, expiries — up to
 * `limit` subscription steps. Set-based (docs/decisions/012-batched-billing-run.md): batches of
 * due subscriptions are claimed with FOR UPDATE SKIP LOCKED, so overlapping runs share the work
 * instead of queueing on each other; the common renewal is written for the whole batch in one
 * transaction and charged right after it commits; anything else in the batch (trial ends,
 * cancellations, scheduled changes, credit to apply…) goes through processDueSubscription, the
 * per-subscription path. A subscription with several periods overdue is renewed once per batch,
 * each renewal charged before the next, as the per-subscription path does. A failure on one
 * subscription is reported without stopping the others.
 */
export async function runDueSubscriptions(db: Db, now: Date, limit = 1000, opts: BillingRunOptions = {}): Promise<BillingRunResult> {
  const ctx = { db, actor: systemActor("billing-run"), now };
  const result: BillingRunResult = { processed: 0, steps: 0, batched: 0, failed: [] };
  // Subscriptions the per-subscription path failed on: not claimed again by this run.
  const failedIds = new Set<string>();
  let claimed = 0;
  while (claimed < limit) {
    const batch = await renewBatch(ctx, { size: Math.min(opts.batchSize ?? 500, limit - claimed), exclude: [...failedIds] });
    if (batch.claimed === 0) break;
    claimed += batch.claimed;
    result.processed += batch.renewed.length;
    result.steps += batch.renewed.length;
    result.batched += batch.renewed.length;
    const charged = await chargeRenewals(ctx, batch.renewed, { concurrency: opts.chargeConcurrency });
    result.failed.push(...charged.failed);
    for (const { id } of batch.deferred) {
      try {
        result.steps += (await processDueSubscription(ctx, id)).length;
        result.processed++;
      } catch (error) {
        failedIds.add(id);
        result.failed.push({ subscription: id, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  return result;
}

/**
 * The billing run one subscription at a time (processDueSubscription over the due list): what the
 * batched run must match, row for row (tests/billing-run/batch-equals-per-subscription.test.ts).
 */
export async function runDueSubscriptionsOneByOne(db: Db, now: Date, limit = 1000): Promise<BillingRunResult> {
  const due = await selectDueSubscriptions(db, now, { limit });
  const ctx = { db, actor: systemActor("billing-run"), now };
  const result: BillingRunResult = { processed: 0, steps: 0, batched: 0, failed: [] };
  for (const { id } of due) {
    try {
      result.steps += (await processDueSubscription(ctx, id)).length;
      result.processed++;
    } catch (error) {
      result.failed.push({ subscription: id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}
