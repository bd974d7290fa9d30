import { and, asc, gt, isNull, lte, or, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { subscriptions } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { processDueSubscription } from "../subscriptions/process-due";

export interface BillingRunResult {
  processed: number;
  steps: number;
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

/**
 * The billing run: every subscription (not on a test clock) with something due by `now` —
 * renewals, trial ends, scheduled changes, pause resumes and auto-cancels, expiries. Each
 * subscription is processed under its own row lock, so overlapping runs never bill twice, and a
 * failure on one subscription is reported without stopping the others.
 */
export async function runDueSubscriptions(db: Db, now: Date, limit = 1000): Promise<BillingRunResult> {
  const due = await selectDueSubscriptions(db, now, { limit });
  const ctx = { db, actor: systemActor("billing-run"), now };
  const result: BillingRunResult = { processed: 0, steps: 0, failed: [] };
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
