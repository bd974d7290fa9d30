import { eq } from "drizzle-orm";
import { budgetNoticesIn, budgetsOf, findBudget, firedBudgetThresholds, type BudgetRow } from "@/db/queries/api-cost-budgets";
import { costPieces, costProvidersByCode, type CostPiece } from "@/db/queries/api-costs";
import type { Executor } from "@/db/client";
import { apiCostBudgets } from "@/db/schema";
import { DEFAULT_ALERT_THRESHOLDS, percentSpent, thresholdsProblem, utcMonth } from "@/lib/api-costs/budget-rules";
import { recordAudit } from "@/lib/audit/record";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { addDecimal, normalizeCurrency, parseDecimal, roundDecimal, ZERO_DECIMAL } from "@/lib/money";
import type { ServiceContext } from "../context";
import { fxConverter } from "./fx";
import { modeOf } from "./providers";

export interface BudgetInput {
  /** A provider's code, or null for every provider. */
  provider: string | null;
  /** Minor units of `currency`, > 0. */
  amount: number;
  currency: string;
  /** Percent of the amount; default [50, 80, 100]. */
  alertThresholds?: number[];
}

export interface BudgetUpdate {
  amount?: number;
  alertThresholds?: number[];
}

/** The budget as the API and the `budget.threshold_reached` event show it. */
export function budgetObject(b: BudgetRow) {
  return {
    id: b.id,
    object: "budget" as const,
    provider: b.providerCode,
    amount: b.amount,
    currency: b.currency,
    period: "month" as const,
    alert_thresholds: b.alertThresholds,
    livemode: b.livemode,
    created: b.createdAt.toISOString(),
  };
}

function checkAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new AppError("out_of_range", { param: "amount", userMessage: "amount is a whole number of minor units greater than 0 (e.g. 50000 for $500.00)." });
}

function checkThresholds(thresholds: number[]): number[] {
  const problem = thresholdsProblem(thresholds);
  if (problem) throw new AppError("validation_failed", { param: "alert_thresholds", userMessage: problem });
  return thresholds;
}

const scopeLabel = (provider: string | null, currency: string) => `${provider === null ? "all providers" : provider} in ${currency.toUpperCase()}`;

function duplicate(provider: string | null, currency: string): AppError {
  return new AppError("conflict", { param: "provider", userMessage: `A budget for ${scopeLabel(provider, currency)} exists already: edit it instead.` });
}

/** A monthly budget for one provider (which must exist in the mode) or all; one per provider-or-all and currency. Audited. */
export async function createBudget(ctx: ServiceContext, input: BudgetInput): Promise<BudgetRow> {
  const livemode = modeOf(ctx);
  checkAmount(input.amount);
  const currency = normalizeCurrency(input.currency, "currency");
  const alertThresholds = checkThresholds(input.alertThresholds ?? [...DEFAULT_ALERT_THRESHOLDS]);
  if (input.provider !== null && !(await costProvidersByCode(ctx.db, livemode, [input.provider])).has(input.provider)) {
    throw new AppError("cost_provider_unknown", { param: "provider", userMessage: `No cost provider has the code ${JSON.stringify(input.provider)}.` });
  }
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiCostBudgets)
      .values({ id: newId("apiCostBudget"), providerCode: input.provider, amount: input.amount, currency, period: "month", alertThresholds, livemode, createdAt: ctx.now, updatedAt: ctx.now })
      .onConflictDoNothing()
      .returning();
    if (!row) throw duplicate(input.provider, currency);
    await recordAudit(tx, ctx.actor, { action: "budget.created", entityType: "budget", entityId: row.id, after: row }, ctx.now, ctx.requestId);
    return row;
  });
}

async function loadBudget(tx: Executor, ctx: ServiceContext, id: string): Promise<BudgetRow> {
  const row = await findBudget(tx, id);
  if (!row || row.livemode !== modeOf(ctx)) throw notFound("budget", "id");
  return row;
}

export async function retrieveBudget(ctx: ServiceContext, id: string): Promise<BudgetRow> {
  return loadBudget(ctx.db, ctx, id);
}

export async function listBudgets(ctx: ServiceContext): Promise<BudgetRow[]> {
  return budgetsOf(ctx.db, modeOf(ctx));
}

/** Change the amount or the thresholds (the scope is fixed: delete and create for another). Audited. */
export async function updateBudget(ctx: ServiceContext, id: string, update: BudgetUpdate): Promise<BudgetRow> {
  if (update.amount !== undefined) checkAmount(update.amount);
  if (update.alertThresholds !== undefined) checkThresholds(update.alertThresholds);
  return ctx.db.transaction(async (tx) => {
    const before = await loadBudget(tx, ctx, id);
    const changes = { amount: update.amount, alertThresholds: update.alertThresholds };
    if (Object.values(changes).every((v) => v === undefined)) return before;
    const [row] = await tx
      .update(apiCostBudgets)
      .set({ ...changes, updatedAt: ctx.now })
      .where(eq(apiCostBudgets.id, id))
      .returning();
    if (!row) throw notFound("budget", "id");
    await recordAudit(tx, ctx.actor, { action: "budget.updated", entityType: "budget", entityId: id, before, after: row }, ctx.now, ctx.requestId);
    return row;
  });
}

/** Delete a budget and its alert history. Audited (the entry keeps the budget). */
export async function deleteBudget(ctx: ServiceContext, id: string): Promise<BudgetRow> {
  return ctx.db.transaction(async (tx) => {
    const before = await loadBudget(tx, ctx, id);
    await tx.delete(apiCostBudgets).where(eq(apiCostBudgets.id, id));
    await recordAudit(tx, ctx.actor, { action: "budget.deleted", entityType: "budget", entityId: id, before }, ctx.now, ctx.requestId);
    return before;
  });
}

export interface BudgetSpend {
  budget: BudgetRow;
  /** This month's spend in the budget's currency, minor units, rounded once. */
  spent: number;
  /** Why the spend is unknown (a missing exchange rate), else null. */
  problem: string | null;
}

/**
 * Each budget's spend in the UTC month containing `at`: the month's costs for its provider (or all),
 * each (currency, day) piece converted into the budget's currency at that day's rate, summed
 * exactly and rounded once. One read of the month's costs per provider for every budget; a budget
 * whose conversion lacks a rate has `problem` set and spent 0, without holding back the others.
 */
export async function budgetSpends(tx: Executor, livemode: boolean, budgets: readonly BudgetRow[], at: Date): Promise<BudgetSpend[]> {
  if (budgets.length === 0) return [];
  const month = utcMonth(at);
  const pieces = await costPieces(tx, { livemode, from: month.start, to: month.end, groupBy: "provider" });
  const out: BudgetSpend[] = [];
  for (const budget of budgets) {
    const mine = budget.providerCode === null ? pieces : pieces.filter((p) => p.key === budget.providerCode);
    try {
      out.push({ budget, spent: await spendOf(tx, mine, budget.currency), problem: null });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      out.push({ budget, spent: 0, problem: error.userMessage });
    }
  }
  return out;
}

async function spendOf(tx: Executor, pieces: readonly CostPiece[], currency: string): Promise<number> {
  const dated = pieces.map((p) => ({ ...p, amount: parseDecimal(p.cost, "cost") }));
  const convert = await fxConverter(tx, dated, currency);
  return roundDecimal(dated.reduce((sum, p) => addDecimal(sum, convert(p)), ZERO_DECIMAL));
}

export interface BudgetStatus extends BudgetSpend {
  /** Whole percent of the amount spent (rounded down). */
  percent: number;
  /** Thresholds fired this month, ascending. */
  fired: number[];
}

/** Every budget of a mode with this UTC month's spend and the thresholds fired: the console's budgets page. */
export async function budgetStatuses(tx: Executor, livemode: boolean, now: Date): Promise<BudgetStatus[]> {
  const budgets = await budgetsOf(tx, livemode);
  const [spends, fired] = await Promise.all([
    budgetSpends(tx, livemode, budgets, now),
    firedBudgetThresholds(
      tx,
      budgets.map((b) => b.id),
      utcMonth(now).start,
    ),
  ]);
  return spends.map((s) => ({ ...s, percent: percentSpent(s.spent, s.budget.amount), fired: [...(fired.get(s.budget.id) ?? [])].sort((a, b) => a - b) }));
}

export interface BudgetReached {
  budget: BudgetRow;
  /** The highest threshold fired this month. */
  threshold: number;
  spent: number;
}

/** Budgets that reached a threshold this UTC month, the highest threshold each, most over first: the console banner. */
export async function budgetsReachedThisMonth(tx: Executor, livemode: boolean, now: Date): Promise<BudgetReached[]> {
  const month = utcMonth(now);
  const notices = await budgetNoticesIn(tx, livemode, month.start, month.end);
  if (notices.length === 0) return [];
  const budgets = new Map((await budgetsOf(tx, livemode)).map((b) => [b.id, b]));
  const top = new Map<string, BudgetReached>();
  for (const n of notices) {
    const budget = budgets.get(n.budgetId);
    const seen = top.get(n.budgetId);
    if (budget && (!seen || n.threshold > seen.threshold)) top.set(n.budgetId, { budget, threshold: n.threshold, spent: n.spent });
  }
  return [...top.values()].sort((a, b) => b.threshold - a.threshold);
}
