import { budgetsOf, firedBudgetThresholds, firedQuotaThresholds, providersWithQuota, quotaNoticeKey } from "@/db/queries/api-cost-budgets";
import { costPieces } from "@/db/queries/api-costs";
import type { Db } from "@/db/client";
import { apiCostBudgetNotices, apiCostQuotaNotices } from "@/db/schema";
import { newlyCrossed, QUOTA_THRESHOLDS, quotaWindow, utcMonth } from "@/lib/api-costs/budget-rules";
import { enqueueEvent } from "@/lib/events/outbox";
import { addDecimal, formatDecimal, parseDecimal, ZERO_DECIMAL, type ExactDecimal } from "@/lib/money";
import { budgetObject, budgetSpends } from "./budgets";

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
        { type: "budget.threshold_reached", entityId: budget.id, payload: { object: budgetObject(budget), threshold, spent, period_start: month.start.toISOString(), period_end: month.end.toISOString() } },
        ctx.now,
      );
      out.push({ kind: "budget", budget: budget.id, threshold, spent, periodStart: month.start });
    }
    return out;
  });
  return { fired: recorded, skipped };
}

async function checkQuotas(ctx: { db: Db; now: Date }, livemode: boolean): Promise<QuotaAlert[]> {
  const providers = (await providersWithQuota(ctx.db, livemode)).flatMap((p) => (p.quota && p.quota.limit > 0 ? [{ provider: p, quota: p.quota, window: quotaWindow(p.quota.period, ctx.now) }] : []));
  if (providers.length === 0) return [];
  const fired = await firedQuotaThresholds(
    ctx.db,
    livemode,
    providers.map((p) => ({ code: p.provider.code, period: p.quota.period, start: p.window.start })),
  );
  // One read per window kind: the month's units per provider, and today's.
  const periods = [...new Set(providers.map((p) => p.quota.period))];
  const units = new Map<string, ExactDecimal>();
  for (const period of periods) {
    const window = quotaWindow(period, ctx.now);
    for (const piece of await costPieces(ctx.db, { livemode, from: window.start, to: window.end, groupBy: "provider" })) {
      const key = `${period}|${piece.key ?? ""}`;
      units.set(key, addDecimal(units.get(key) ?? ZERO_DECIMAL, parseDecimal(piece.units, "units")));
    }
  }
  const due = providers.flatMap(({ provider, quota, window }) => {
    const used = units.get(`${quota.period}|${provider.code}`) ?? ZERO_DECIMAL;
    const limit = parseDecimal(String(quota.limit), "limit");
    // Compare used × 100 ≥ limit × t at one scale.
    const scale = Math.max(used.scale, limit.scale);
    const scaled = (d: ExactDecimal) => d.units * 10n ** BigInt(scale - d.scale);
    const already = QUOTA_THRESHOLDS.filter((t) => fired.has(quotaNoticeKey(provider.code, quota.period, window.start, t)));
    return newlyCrossed({ spent: scaled(used), budget: scaled(limit), thresholds: QUOTA_THRESHOLDS, fired: already }).map((threshold) => ({ provider, quota, window, threshold, used: formatDecimal(used) }));
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
