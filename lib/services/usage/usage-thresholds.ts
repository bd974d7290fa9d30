import { usageSpendNotices, usageThresholdNotices } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { customerNow, findCustomer } from "@/db/queries/customers";
import { fromScaled, reachedThresholds, toScaled } from "@/lib/billing/features/features";
import { enqueueEvent } from "@/lib/events/outbox";
import type { ServiceContext } from "../context";
import { cachedEntitlements, holdsNoLimits, usageChanged } from "../customers/entitlements-cache";
import type { SpendWatch } from "../customers/entitlements";
import { subscriptionUsage } from "./subscription-usage";
import { errorField, log } from "@/lib/observability/logger";

/**
 * Usage crossing a limit (docs/decisions/029-entitlements-cache.md). Ingest calls usageRecorded
 * once its transaction has committed, with the customers whose events it stored: their cached
 * entitlements go (the next check reads the new usage), and those who may hold a limited metered
 * feature or a subscription with a usage spend threshold get a threshold check after the response. The check is a function of the state, not of
 * the event that tripped it: a check lost to a restart is made by the customer's next ingest.
 */
interface Pending {
  customers: Set<string>;
  running: Promise<void> | null;
  /** (customer, feature, threshold, period) keys already recorded by this process: no insert to try again. */
  recorded: Set<string>;
}

const globalRef = globalThis as unknown as { __tallyUsageThresholds?: Pending };
function pending(): Pending {
  globalRef.__tallyUsageThresholds ??= { customers: new Set(), running: null, recorded: new Set() };
  return globalRef.__tallyUsageThresholds;
}

/** The ingest hook: one call per ingest, after its commit. Cheap: map work only; the checks run later, off the request. */
export function usageRecorded(ctx: Pick<ServiceContext, "db">, customerIds: Iterable<string>): void {
  const p = pending();
  for (const id of new Set(customerIds)) {
    usageChanged(id);
    // A customer known (from the cache) to hold no limited metered feature and no spend threshold has no threshold to cross.
    if (!holdsNoLimits(id)) p.customers.add(id);
  }
  if (p.customers.size > 0 && !p.running) p.running = drain(ctx);
}

async function drain(ctx: Pick<ServiceContext, "db">): Promise<void> {
  const p = pending();
  // Let the request that recorded the usage answer first.
  await new Promise((resolve) => setImmediate(resolve));
  try {
    while (p.customers.size > 0) {
      const batch = [...p.customers];
      p.customers.clear();
      for (const customerId of batch) {
        await checkUsageThresholds({ db: ctx.db, now: new Date() }, customerId).catch((error: unknown) => {
          log.error({ customer_id: customerId, ...errorField(error) }, "usage threshold check failed; the customer's next usage checks again");
        });
      }
    }
  } finally {
    p.running = null;
  }
}

/** Resolves once every scheduled threshold check has run (tests, shutdown). */
export async function settleUsageThresholds(): Promise<void> {
  while (pending().running) await pending().running;
}

export interface ThresholdNotice {
  /** A plan's limit on a metered feature, or a subscription's usage spend threshold. */
  kind: "limit" | "spend";
  /** The feature's code (limit), or the subscription (spend). */
  feature?: string;
  subscription?: string;
  threshold: number;
  periodStart: Date;
}

/**
 * Record each threshold (80%, 100%) reached in the current period and not yet recorded — of the
 * customer's limited metered features (their usage against the plan's limit) and of their
 * subscriptions' usage spend thresholds (the period's projected usage cost, the sum of the metered
 * items' amounts so far, against the threshold): one row per (customer, feature, threshold, period)
 * in usage_threshold_notices, or per (subscription, spend threshold, threshold, period) in
 * usage_spend_notices — the primary keys decide between concurrent checks — and, with each row in
 * one transaction, a `usage.threshold_reached` event, which sends the email. Returns the notices
 * recorded now.
 */
export async function checkUsageThresholds(ctx: Pick<ServiceContext, "db" | "now">, customerId: string): Promise<ThresholdNotice[]> {
  const found = await cachedEntitlements(ctx.db, customerId);
  if (!found) return [];
  const p = pending();
  const due = found.computed.limited.flatMap((grant) =>
    reachedThresholds(grant.limit, grant.used)
      .map((threshold) => ({ grant, threshold, key: `${customerId}|${grant.code}|${threshold}|${grant.periodStart.toISOString()}` }))
      .filter((n) => !p.recorded.has(n.key)),
  );
  const spendDue = (
    await Promise.all(
      found.computed.spendWatched.map((watch) =>
        // One subscription's measure failing must not hold back the customer's other notices; its next usage checks again.
        spendReached(ctx, watch).catch((error: unknown) => {
          log.error({ subscription_id: watch.subscriptionId, ...errorField(error) }, "usage spend check failed; the customer's next usage checks again");
          return [];
        }),
      ),
    )
  )
    .flat()
    .filter((n) => !p.recorded.has(n.key));
  if (due.length === 0 && spendDue.length === 0) return [];
  const customer = await findCustomer(ctx.db, customerId);
  if (!customer) return [];
  const at = await customerNow(ctx.db, customer, ctx.now);
  const recorded = await ctx.db.transaction(async (tx) => {
    const notices: ThresholdNotice[] = [];
    for (const { grant, threshold } of due) {
      const [row] = await tx
        .insert(usageThresholdNotices)
        .values({
          customerId,
          featureCode: grant.code,
          threshold,
          periodStart: grant.periodStart,
          subscriptionId: grant.subscriptionId,
          meterCode: grant.meter,
          limit: String(grant.limit),
          used: grant.used,
          createdAt: at,
        })
        .onConflictDoNothing()
        .returning({ threshold: usageThresholdNotices.threshold });
      if (!row) continue;
      await enqueueEvent(
        tx,
        {
          type: "usage.threshold_reached",
          customerId,
          entityId: grant.subscriptionId,
          payload: {
            kind: "limit",
            customer: customerId,
            subscription: grant.subscriptionId,
            feature: grant.code,
            meter: grant.meter,
            threshold,
            limit: grant.limit,
            used: fromScaled(toScaled(grant.used)),
            hard: grant.hard,
            period_start: grant.periodStart.toISOString(),
            period_end: grant.periodEnd.toISOString(),
          },
        },
        at,
      );
      notices.push({ kind: "limit", feature: grant.code, threshold, periodStart: grant.periodStart });
    }
    for (const n of spendDue) {
      const [row] = await tx
        .insert(usageSpendNotices)
        .values({ subscriptionId: n.subscriptionId, spendThreshold: n.spendThreshold, threshold: n.threshold, periodStart: n.periodStart, customerId, currency: n.currency, amount: n.amount, createdAt: at })
        .onConflictDoNothing()
        .returning({ threshold: usageSpendNotices.threshold });
      if (!row) continue;
      await enqueueEvent(
        tx,
        {
          type: "usage.threshold_reached",
          customerId,
          entityId: n.subscriptionId,
          payload: {
            kind: "spend",
            customer: customerId,
            subscription: n.subscriptionId,
            threshold: n.threshold,
            amount: n.amount,
            spend_threshold: n.spendThreshold,
            currency: n.currency,
            period_start: n.periodStart.toISOString(),
            period_end: n.periodEnd.toISOString(),
          },
        },
        at,
      );
      notices.push({ kind: "spend", subscription: n.subscriptionId, threshold: n.threshold, periodStart: n.periodStart });
    }
    return notices;
  });
  if (p.recorded.size > 100_000) p.recorded.clear();
  for (const n of [...due, ...spendDue]) p.recorded.add(n.key);
  return recorded;
}

/**
 * The spend thresholds (80%, 100%) a subscription's projected usage cost has reached in its current
 * period: the sum of its metered items' amounts so far (subscriptionUsage, decision 030 — what the
 * next invoice will charge for usage, before discount), against the threshold. Nothing is reached
 * before any usage cost, even for a threshold of 0.
 */
async function spendReached(ctx: Pick<ServiceContext, "db" | "now">, watch: SpendWatch) {
  const usage = await subscriptionUsage({ db: ctx.db, now: ctx.now, actor: systemActor("usage-thresholds") }, watch.subscriptionId);
  const amount = usage.items.reduce((sum, item) => sum + item.amount, 0);
  return reachedThresholds(watch.spendThreshold, String(amount)).map((threshold) => ({
    subscriptionId: watch.subscriptionId,
    spendThreshold: watch.spendThreshold,
    threshold,
    amount,
    currency: usage.currency,
    periodStart: usage.periodStart,
    periodEnd: usage.periodEnd,
    key: `spend|${watch.subscriptionId}|${watch.spendThreshold}|${threshold}|${usage.periodStart.toISOString()}`,
  }));
}
