import { budgetNoticesIn, budgetsOf, firedBudgetThresholds, firedQuotaThresholds, quotaNoticeKey, quotaNoticesIn } from "@/db/queries/api-cost-budgets";
import type { Db, Executor } from "@/db/client";
import { apiCostBudgetNotices, apiCostQuotaNotices } from "@/db/schema";
import { newlyCrossed, QUOTA_THRESHOLDS, utcMonth } from "@/lib/api-costs/budget-rules";
import { enqueueEvent } from "@/lib/events/outbox";
import { formatDecimal } from "@/lib/money";
import { budgetObject, budgetSpends } from "./budgets";
import { quotaUsages } from "./quotas";

export interface BudgetAlert {
  kind: "budget";
  budget: string;
  threshold: number;
  spent: number;
  periodStart: Date;
}

export interface QuotaAlert {
  kind: "quota";
  provider: string;
  threshold: number;
  used: string;
  period: "day" | "month";
  periodStart: Date;
}

export interface AlertCheck {
  fired: (BudgetAlert | QuotaAlert)[];
  /** Budgets whose spend could not be measured (a missing exchange rate), with the reason. */
  skipped: { budget: string; problem: string }[];
}

/**
 * Check every budget and quota of a mode at `now` (the job api_costs.alerts, both modes): each
 * budget's spend this UTC month against its thresholds, each provider's units in its quota window
 * against 80% and 100% of the limit. A threshold reached and not yet recorded gets its notice row
 * and, in the same transaction, its event (`budget.threshold_reached`, `api_cost.quota_warning`),
 * which emails the billing admins; the notices' primary keys decide between concurrent checks, so
 * each fires once per period. A function of the state: a check lost to a restart is made by the next.
 */
export async function checkApiCostAlerts(ctx: { db: Db; now: Date }, livemode: boolean): Promise<AlertCheck> {
  const [budgetFired, quotaFired] = await Promise.all([checkBudgets(ctx, livemode), checkQuotas(ctx, livemode)]);
  return { fired: [...budgetFired.fired, ...quotaFired], skipped: budgetFired.skipped };
}

/** Both modes, for the job; returns counts for the console's job list. */
export async function runApiCostAlerts(db: Db, now: Date): Promise<{ fired: number; skipped: number }> {
  let fired = 0;
  let skipped = 0;
  for (const livemode of [false, true]) {
    const check = await checkApiCostAlerts({ db, now }, livemode);
    fired += check.fired.length;
    skipped += check.skipped.length;
  }
  return { fired, skipped };
}

async function checkBudgets(ctx: { db: Db; now: Date }, livemode: boolean): Promise<{ fired: BudgetAlert[]; skipped: AlertCheck["skipped"] }> {
  const budgets = await budgetsOf(ctx.db, livemode);
  if (budgets.length === 0) return { fired: [], skipped: [] };
  const month = utcMonth(ctx.now);
  const [spends, fired] = await Promise.all([
    budgetSpends(ctx.db, livemode, budgets, ctx.now),
    firedBudgetThresholds(
      ctx.db,
      budgets.map((b) => b.id),
      month.start,
    ),
  ]);
  const skipped = spends.filter((s) => s.problem !== null).map((s) => ({ budget: s.budget.id, problem: s.problem ?? "" }));
  const due = spends.flatMap(({ budget, spent, problem }) =>
    problem !== null ? [] : newlyCrossed({ spent: BigInt(spent), budget: BigInt(budget.amount), thresholds: budget.alertThresholds, fired: fired.get(budget.id) ?? [] }).map((threshold) => ({ budget, spent, threshold })),
  );
  if (due.length === 0) return { fired: [], skipped };
  const recorded = await ctx.db.transaction(async (tx) => {
    const out: BudgetAlert[] = [];
    for (const { budget, spent, threshold } of due) {
      const [row] = await tx
        .insert(apiCostBudgetNotices)
        .values({ budgetId: budget.id, periodStart: month.start, threshold, spent, amount: budget.amount, currency: budget.currency, livemode, createdAt: ctx.now })
        .onConflictDoNothing()
        .returning({ threshold: apiCostBudgetNotices.threshold });
      if (!row) continue;
      await enqueueEvent(
        tx,
        { type: "budget.threshold_reached", entityId: budget.id, livemode, payload: { object: budgetObject(budget), threshold, spent, period_start: month.start.toISOString(), period_end: month.end.toISOString() } },
        ctx.now,
      );
      out.push({ kind: "budget", budget: budget.id, threshold, spent, periodStart: month.start });
    }
    return out;
  });
  return { fired: recorded, skipped };
}

async function checkQuotas(ctx: { db: Db; now: Date }, livemode: boolean): Promise<QuotaAlert[]> {
  const usages = await quotaUsages(ctx.db, livemode, ctx.now);
  if (usages.length === 0) return [];
  const fired = await firedQuotaThresholds(
    ctx.db,
    livemode,
    usages.map((u) => ({ code: u.provider.code, period: u.quota.period, start: u.window.start })),
  );
  const due = usages.flatMap(({ provider, quota, window, used, scaled }) => {
    const already = QUOTA_THRESHOLDS.filter((t) => fired.has(quotaNoticeKey(provider.code, quota.period, window.start, t)));
    return newlyCrossed({ spent: scaled.used, budget: scaled.limit, thresholds: QUOTA_THRESHOLDS, fired: already }).map((threshold) => ({ provider, quota, window, threshold, used: formatDecimal(used) }));
  });
  if (due.length === 0) return [];
  return ctx.db.transaction(async (tx) => {
    const out: QuotaAlert[] = [];
    for (const { provider, quota, window, threshold, used } of due) {
      const [row] = await tx
        .insert(apiCostQuotaNotices)
        .values({ livemode, providerCode: provider.code, period: quota.period, periodStart: window.start, threshold, quotaLimit: String(quota.limit), used, createdAt: ctx.now })
        .onConflictDoNothing()
        .returning({ threshold: apiCostQuotaNotices.threshold });
      if (!row) continue;
      await enqueueEvent(
        tx,
        {
          type: "api_cost.quota_warning",
          entityId: provider.id,
          livemode,
          payload: {
            provider: provider.id,
            code: provider.code,
            threshold: threshold === 100 ? 100 : 80,
            limit: quota.limit,
            used,
            period: quota.period,
            period_start: window.start.toISOString(),
            period_end: window.end.toISOString(),
            livemode,
          },
        },
        ctx.now,
      );
      out.push({ kind: "quota", provider: provider.code, threshold, used, period: quota.period, periodStart: window.start });
    }
    return out;
  });
}

/** A budget threshold or quota warning that fired, as the console's alert history lists it. */
export type FiredAlert =
  | { kind: "budget"; at: Date; threshold: number; budget: string; provider: string | null; spent: number; amount: number; currency: string }
  | { kind: "quota"; at: Date; threshold: number; provider: string; period: "day" | "month"; periodStart: Date; used: string; limit: string };

/**
 * The budget thresholds and quota warnings of a mode fired for periods starting in the UTC month
 * containing `at` (a daily quota's every day of it), newest first: the notices the alerts check
 * wrote, with the spend or units they fired at. Notices of a deleted budget went with it.
 */
export async function alertsFiredIn(tx: Executor, livemode: boolean, at: Date): Promise<FiredAlert[]> {
  const month = utcMonth(at);
  const [budgetNotices, quotaNotices, budgets] = await Promise.all([budgetNoticesIn(tx, livemode, month.start, month.end), quotaNoticesIn(tx, livemode, month.start, month.end), budgetsOf(tx, livemode)]);
  const scopes = new Map(budgets.map((b) => [b.id, b.providerCode]));
  const alerts: FiredAlert[] = [
    ...budgetNotices.map((n): FiredAlert => ({ kind: "budget", at: n.createdAt, threshold: n.threshold, budget: n.budgetId, provider: scopes.get(n.budgetId) ?? null, spent: n.spent, amount: n.amount, currency: n.currency })),
    ...quotaNotices.map((n): FiredAlert => ({ kind: "quota", at: n.createdAt, threshold: n.threshold, provider: n.providerCode, period: n.period, periodStart: n.periodStart, used: String(n.used), limit: String(n.quotaLimit) })),
  ];
  return alerts.sort((a, b) => b.at.getTime() - a.at.getTime() || b.threshold - a.threshold);
}
