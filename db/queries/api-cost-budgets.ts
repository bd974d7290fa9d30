import { and, asc, eq, gte, inArray, isNotNull, lt, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { apiCostBudgetNotices, apiCostBudgets, apiCostQuotaNotices, costProviders, users } from "../schema";

export type BudgetRow = typeof apiCostBudgets.$inferSelect;
export type BudgetNoticeRow = typeof apiCostBudgetNotices.$inferSelect;
export type QuotaNoticeRow = typeof apiCostQuotaNotices.$inferSelect;

export async function findBudget(tx: Executor, id: string): Promise<BudgetRow | undefined> {
  const [row] = await tx.select().from(apiCostBudgets).where(eq(apiCostBudgets.id, id));
  return row;
}

/** A mode's budgets: the all-providers budgets first, then by provider code and currency. */
export async function budgetsOf(tx: Executor, livemode: boolean): Promise<BudgetRow[]> {
  return tx
    .select()
    .from(apiCostBudgets)
    .where(eq(apiCostBudgets.livemode, livemode))
    .orderBy(sql`${apiCostBudgets.providerCode} nulls first`, asc(apiCostBudgets.currency), asc(apiCostBudgets.id));
}

/** The thresholds already fired per budget in the month starting at `periodStart`. */
export async function firedBudgetThresholds(tx: Executor, budgetIds: readonly string[], periodStart: Date): Promise<Map<string, number[]>> {
  if (budgetIds.length === 0) return new Map();
  const rows = await tx
    .select({ budgetId: apiCostBudgetNotices.budgetId, threshold: apiCostBudgetNotices.threshold })
    .from(apiCostBudgetNotices)
    .where(and(inArray(apiCostBudgetNotices.budgetId, [...budgetIds]), eq(apiCostBudgetNotices.periodStart, periodStart)));
  const fired = new Map<string, number[]>();
  for (const r of rows) fired.set(r.budgetId, [...(fired.get(r.budgetId) ?? []), r.threshold]);
  return fired;
}

/** Budget alerts of a mode in [from, to) of period starts, newest first (the console banner and history). */
export async function budgetNoticesIn(tx: Executor, livemode: boolean, from: Date, to: Date): Promise<BudgetNoticeRow[]> {
  return tx
    .select()
    .from(apiCostBudgetNotices)
    .where(and(eq(apiCostBudgetNotices.livemode, livemode), gte(apiCostBudgetNotices.periodStart, from), lt(apiCostBudgetNotices.periodStart, to)))
    .orderBy(sql`${apiCostBudgetNotices.createdAt} desc`, sql`${apiCostBudgetNotices.threshold} desc`);
}

/** Quota warnings of a mode whose window starts in [from, to), newest first (the console's alert history). */
export async function quotaNoticesIn(tx: Executor, livemode: boolean, from: Date, to: Date): Promise<QuotaNoticeRow[]> {
  return tx
    .select()
    .from(apiCostQuotaNotices)
    .where(and(eq(apiCostQuotaNotices.livemode, livemode), gte(apiCostQuotaNotices.periodStart, from), lt(apiCostQuotaNotices.periodStart, to)))
    .orderBy(sql`${apiCostQuotaNotices.createdAt} desc`, sql`${apiCostQuotaNotices.threshold} desc`);
}

/** The quota thresholds already fired per provider code in each window start. */
export async function firedQuotaThresholds(tx: Executor, livemode: boolean, windows: readonly { code: string; period: "day" | "month"; start: Date }[]): Promise<Set<string>> {
  if (windows.length === 0) return new Set();
  const rows = await tx
    .select({ code: apiCostQuotaNotices.providerCode, period: apiCostQuotaNotices.period, start: apiCostQuotaNotices.periodStart, threshold: apiCostQuotaNotices.threshold })
    .from(apiCostQuotaNotices)
    .where(
      and(
        eq(apiCostQuotaNotices.livemode, livemode),
        inArray(
          apiCostQuotaNotices.providerCode,
          windows.map((w) => w.code),
        ),
      ),
    );
  return new Set(rows.map((r) => quotaNoticeKey(r.code, r.period, r.start, r.threshold)));
}

export const quotaNoticeKey = (code: string, period: string, start: Date, threshold: number) => `${code}|${period}|${start.toISOString()}|${threshold}`;

/** Providers of a mode that have a quota. */
export async function providersWithQuota(tx: Executor, livemode: boolean) {
  return tx
    .select()
    .from(costProviders)
    .where(and(eq(costProviders.livemode, livemode), isNotNull(costProviders.quota)))
    .orderBy(asc(costProviders.code));
}

/** Active staff who receive budget and quota alerts: billing admins and super admins. */
export async function billingAdminEmails(tx: Executor): Promise<string[]> {
  const rows = await tx
    .select({ email: users.email })
    .from(users)
    .where(and(inArray(users.role, ["billing_admin", "super_admin"]), sql`${users.deactivatedAt} is null`))
    .orderBy(asc(users.email));
  return rows.map((r) => r.email);
}
