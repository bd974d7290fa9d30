import { and, asc, isNull, lte } from "drizzle-orm";
import type { Db } from "@/db/client";
import { subscriptions } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { processDueSubscription } from "../subscriptions/process-due";

export interface BillingRunResult {
  processed: number;
  steps: number;
  failed: { subscription: string; error: string }[];
}

/**
 * The billing run: every subscription (not on a test clock) with something due by `now` —
 * renewals, trial ends, scheduled changes, pause resumes and auto-cancels, expiries. Each
 * subscription is processed under its own row lock, so overlapping runs never bill twice, and a
 * failure on one subscription is reported without stopping the others.
 */
export async function runDueSubscriptions(db: Db, now: Date, limit = 1000): Promise<BillingRunResult> {
  const due = await db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(and(lte(subscriptions.nextDueAt, now), isNull(subscriptions.testClockId)))
    .orderBy(asc(subscriptions.nextDueAt))
    .limit(limit);
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
