import type { ServiceContext } from "../context";
import { chargeRenewals } from "../renewals/charge-renewals";
import { renewBatch, type DueSet } from "../renewals/renew-batch";
import { processDueSubscription } from "../subscriptions/process-due";
import { log } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

/** What billing a set of due subscriptions did. */
export interface BillingRunResult {
  /** Subscriptions handled (renewed by a batch, or handed to the per-subscription path). */
  processed: number;
  steps: number;
  /** Renewals written by the batched path (the rest of `steps` took the per-subscription path). */
  batched: number;
  /**
   * Subscriptions a batch handed to the per-subscription path, by reason: a step that is not a
   * plain renewal ("trial_end", "scheduled change", "credit to apply"…), a customer busy elsewhere,
   * or "batch failed: <error>" when a batch's transaction failed and every one it claimed went one by one.
   */
  deferred: Record<string, number>;
  /** Charge results settled payment by payment because their batch's transaction failed, by reason (chargeRenewals). */
  settledOneByOne: Record<string, number>;
  failed: { subscription: string; error: string }[];
}

export const emptyResult = (): BillingRunResult => ({ processed: 0, steps: 0, batched: 0, deferred: {}, settledOneByOne: {}, failed: [] });

export interface BillDueOptions {
  /** Gateway calls in flight at once while the batch is charged. Default 8. */
  chargeConcurrency?: number;
  /** Told once the renewals are committed, before they are charged (the billing run frees the ones no longer due). */
  onCommitted?: (renewed: readonly { subscriptionId: string; stillDue: boolean }[]) => void;
  /** Told when the batch is done with a subscription (charged, or its per-subscription steps taken). */
  onDone?: (subscriptionId: string, failed: boolean) => void;
}

/**
 * The one entry point for due work, used by the billing run, the CLI, test clocks and Inngest:
 * bill one batch of due subscriptions. The common renewal of the whole batch is planned and
 * written in one transaction (renewBatch: planRenewal, then the applier) and charged right after
 * it commits (chargeRenewals); every other step — a trial end, a scheduled change, credit to
 * apply, a cancellation, a customer busy elsewhere — goes through processDueSubscription, the
 * per-subscription path, which plans a plain renewal the same way (a batch of one). Each
 * subscription is billed in its customer's now (a test clock's time for a customer on one). A
 * failure on one subscription is reported without stopping the others. Returns what was done and
 * which renewed subscriptions are still due (several periods behind), for the caller to bill again.
 */
export async function billDue(ctx: ServiceContext, set: DueSet, opts: BillDueOptions = {}): Promise<BillingRunResult & { claimedIds: readonly string[]; stillDue: string[] }> {
  const batch = await renewBatch(ctx, set);
  const result = { ...emptyResult(), claimedIds: batch.claimedIds, stillDue: [] as string[] };
  const renewed = batch.renewed.map((r) => ({ subscriptionId: r.subscriptionId, stillDue: r.subscription.nextDueAt !== null && r.subscription.nextDueAt <= r.now }));
  opts.onCommitted?.(renewed);
  result.stillDue = renewed.filter((r) => r.stillDue).map((r) => r.subscriptionId);
  result.processed += batch.renewed.length;
  result.steps += batch.renewed.length;
  result.batched += batch.renewed.length;
  try {
    const charged = await chargeRenewals(ctx, batch.renewed, { concurrency: opts.chargeConcurrency });
    result.failed.push(...charged.failed);
    addCounts(result.settledOneByOne, charged.oneByOne);
  } catch (error) {
    // The invoices are issued with their payments pending: reconciliation and the retry job finish them.
    const message = error instanceof Error ? error.message : String(error);
    for (const r of batch.renewed) if (r.payment) result.failed.push({ subscription: r.subscriptionId, error: message });
  } finally {
    for (const r of batch.renewed) opts.onDone?.(r.subscriptionId, false);
  }
  countDeferred(result, batch.deferred);
  for (const { id } of batch.deferred) {
    let failed = true;
    try {
      failed = !(await billOneByOne(ctx, id, result));
    } finally {
      opts.onDone?.(id, failed);
    }
  }
  return result;
}

/**
 * Bill the given due subscriptions until none of them has anything left due (one batch per pass:
 * a subscription several periods behind is renewed once per pass, each renewal charged before the
 * next). A subscription another transaction holds is left to the per-subscription path, which
 * waits for it and then takes whatever is still due.
 */
export async function billDueIds(ctx: ServiceContext, ids: readonly string[], opts: Pick<BillDueOptions, "chargeConcurrency"> = {}): Promise<BillingRunResult> {
  const total = emptyResult();
  let todo = [...new Set(ids)];
  while (todo.length > 0) {
    const pass = await billDue(ctx, { ids: todo }, opts);
    addResult(total, pass);
    const claimed = new Set(pass.claimedIds);
    for (const id of todo) {
      if (!claimed.has(id)) await billOneByOne(ctx, id, total);
    }
    todo = pass.stillDue;
  }
  countBillingRun(total);
  return total;
}

/** A billing run's subscriptions in tally_billing_run_subscriptions_total, and each failure logged with its subscription. */
export function countBillingRun(result: BillingRunResult): void {
  const m = metrics().billingRunSubscriptions;
  if (result.processed > 0) m.inc({ outcome: "billed" }, result.processed);
  if (result.failed.length > 0) m.inc({ outcome: "failed" }, result.failed.length);
  for (const f of result.failed) log.warn({ subscription_id: f.subscription, error: f.error }, "billing run: a subscription failed");
}

/**
 * One subscription through the per-subscription path, its steps added to `result`; a failure is
 * recorded there instead of thrown. Returns whether it succeeded.
 */
export async function billOneByOne(ctx: ServiceContext, subscriptionId: string, result: BillingRunResult): Promise<boolean> {
  try {
    result.steps += (await processDueSubscription(ctx, subscriptionId)).length;
    result.processed++;
    return true;
  } catch (error) {
    result.failed.push({ subscription: subscriptionId, error: error instanceof Error ? error.message : String(error) });
    return false;
  }
}

/** Add one batch's figures to a run's. */
export function addResult(total: BillingRunResult, part: BillingRunResult): void {
  total.processed += part.processed;
  total.steps += part.steps;
  total.batched += part.batched;
  addCounts(total.deferred, part.deferred);
  addCounts(total.settledOneByOne, part.settledOneByOne);
  total.failed.push(...part.failed);
}

function addCounts(total: Record<string, number>, part: Record<string, number>): void {
  for (const [reason, n] of Object.entries(part)) total[reason] = (total[reason] ?? 0) + n;
}

/** Count a batch's hand-overs by reason; a failed batch is also logged with its reason (the run goes on one by one). */
function countDeferred(result: BillingRunResult, deferred: readonly { reason: string }[]): void {
  const failed = new Map<string, number>();
  for (const { reason } of deferred) {
    result.deferred[reason] = (result.deferred[reason] ?? 0) + 1;
    if (reason.startsWith("batch failed")) failed.set(reason, (failed.get(reason) ?? 0) + 1);
  }
  for (const [reason, n] of failed) log.warn({ subscriptions: n, reason }, `billing run: ${n} subscription${n === 1 ? "" : "s"} went one by one after a failed batch (${reason})`);
}
