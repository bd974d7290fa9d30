import { and, asc, gt, isNull, lte, or, eq } from "drizzle-orm";
import type { ApplyMode } from "@/db/apply-writes";
import type { Db } from "@/db/client";
import { subscriptions } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { addResult, billDue, billOneByOne, countBillingRun, emptyResult, type BillingRunResult } from "./bill-due";

export type { BillingRunResult } from "./bill-due";

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
  /** Subscriptions claimed per batch (one transaction). Default 1000 (measured: larger batches spread each statement's fixed cost further; see decision 012). */
  batchSize?: number;
  /** Batches in progress at once (one being written, one charged, one settled, overlapping). Default 3 (measured: 2 left a quarter of two cores idle; see decision 012). */
  workers?: number;
  /** Gateway calls in flight at once while a batch is charged. Default 8. */
  chargeConcurrency?: number;
}

/**
 * The billing run: every subscription (not on a test clock) with something due by `now` —
 * renewals, trial ends, scheduled changes, pause resumes and auto-cancels, expiries — up to
 * `limit` subscription steps, billed batch by batch through billDue (docs/decisions/012-batched-billing-run.md).
 * Each batch claims the next due subscriptions with FOR UPDATE SKIP LOCKED, so overlapping runs
 * (and this run's own workers) share the work instead of queueing on each other. A subscription
 * with several periods overdue is renewed once per batch, each renewal charged before the next.
 */
export async function runDueSubscriptions(db: Db, now: Date, limit = 1000, opts: BillingRunOptions = {}): Promise<BillingRunResult> {
  const ctx = { db, actor: systemActor("billing-run"), now };
  const result = emptyResult();
  // Subscriptions the per-subscription path failed on: not claimed again by this run.
  const failedIds = new Set<string>();
  // In a worker's hands from its claim on — renewed and not yet charged (another worker must not
  // renew one again before the charge, so each renewal sees the previous one's outcome), or handed
  // to the per-subscription path: not claimed by the other workers meanwhile. (While the claim's
  // transaction runs, its row locks keep them from other claims too.)
  const busy = new Set<string>();
  let claimed = 0;
  // A worker stops when its claim finds nothing left unlocked; another still holding a batch claims
  // again after it (a subscription several periods behind is still due).
  const worker = async () => {
    while (claimed < limit) {
      const size = Math.min(opts.batchSize ?? 1000, limit - claimed);
      claimed += size; // reserved; the unused part is given back below
      const batch = await billDue(
        ctx,
        { next: size, exclude: () => [...failedIds, ...busy], onClaim: (ids) => ids.forEach((id) => busy.add(id)) },
        {
          chargeConcurrency: opts.chargeConcurrency,
          // Renewed into a period not yet due: no claim can take them again, so none need excluding
          // (the exclusion list is sent with every claim). Those still due (several periods behind)
          // stay excluded until charged, the deferred until the per-subscription path is done.
          onCommitted: (renewed) => {
            for (const r of renewed) if (!r.stillDue) busy.delete(r.subscriptionId);
          },
          onDone: (id, failed) => {
            if (failed) failedIds.add(id);
            busy.delete(id);
          },
        },
      );
      claimed -= size - batch.claimedIds.length;
      if (batch.claimedIds.length === 0) break;
      addResult(result, batch);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.workers ?? 3) }, worker));
  countBillingRun(result);
  return result;
}

/**
 * The billing run one subscription at a time (processDueSubscription over the due list): what the
 * batched run must match, row for row (tests/billing-run/batch-equals-per-subscription.test.ts).
 */
export async function runDueSubscriptionsOneByOne(db: Db, now: Date, limit = 1000, opts: { applyMode?: ApplyMode } = {}): Promise<BillingRunResult> {
  const due = await selectDueSubscriptions(db, now, { limit });
  const ctx = { db, actor: systemActor("billing-run"), now, applyMode: opts.applyMode };
  const result = emptyResult();
  for (const { id } of due) await billOneByOne(ctx, id, result);
  return result;
}
