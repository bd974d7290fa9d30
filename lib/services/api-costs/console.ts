import { monthOf, type CostMonth } from "@/lib/api-costs/months";
import type { Formatter } from "@/lib/format";
import { signupDefaults } from "@/lib/settings/defaults";
import type { ServiceContext } from "../context";
import { alertsFiredIn, type FiredAlert } from "./budget-alerts";
import { budgetStatuses, type BudgetStatus } from "./budgets";
import { reportProblem } from "./cost-report";
import { costForecast, type CostForecast } from "./forecast";
import { apiCostHints, type CostHints } from "./hints";
import { profitabilityOverview, type CustomerProfit, type PlanProfit } from "./profitability";
import { listCostProviders, modeOf, type CostProviderWithRates } from "./providers";
import { quotaUsages, type QuotaUsage } from "./quotas";

/** A figure of the page, or why it cannot be made (a missing exchange rate): one card's problem, not the page's. */
export type Panel<T> = { value: T; problem: null } | { value: null; problem: string };

async function panel<T>(run: () => Promise<T>): Promise<Panel<T>> {
  try {
    return { value: await run(), problem: null };
  } catch (error) {
    return { value: null, problem: reportProblem(error) };
  }
}

export interface ForecastPanel {
  /** Every provider's costs. */
  overall: CostForecast;
  /** Per provider code. */
  byProvider: Map<string, CostForecast>;
}

export interface ApiCostPanels {
  /** Every provider of the mode, by code. */
  providers: CostProviderWithRates[];
  /** Whether the month is the current one (forecasts, quotas and hints are about now). */
  current: boolean;
  /** Every budget with its spend in the month; a budget whose spend needs a missing rate carries its problem. */
  budgets: BudgetStatus[];
  /** Month-end spend in the reporting currency (`actual` for an ended month). */
  forecasts: Panel<ForecastPanel>;
  /** Each quota's use in its current day or month; empty for a past month. */
  quotas: QuotaUsage[];
  /** Budget thresholds and quota warnings fired in the month, newest first. */
  alerts: FiredAlert[];
  /** The optimisation hints as of now; null for a past month. */
  hints: Panel<CostHints> | null;
  /** Customers with a negative margin in the month (worst first) and the margin per plan. */
  profitability: Panel<{ unprofitable: CustomerProfit[]; plans: PlanProfit[] }>;
}

/** How many unprofitable customers the page lists. */
export const UNPROFITABLE_SHOWN = 10;

/**
 * Everything the API costs page shows besides the month's report (cost-report.ts), for the month
 * chosen: budgets (budgetStatuses, measured in that month), the month-end forecast per provider and
 * overall (costForecast), quota use (quotaUsages: the measure the alerts check uses), the alerts
 * fired (the notices tables), the hints (apiCostHints) and profitability (profitabilityOverview).
 * Each figure that converts money degrades alone when an exchange rate is missing.
 */
export async function apiCostPanels(ctx: ServiceContext, query: { month: CostMonth; currency?: string }, fmt: Formatter): Promise<ApiCostPanels> {
  const livemode = modeOf(ctx);
  const currency = query.currency ?? signupDefaults.currency;
  const current = query.month.key === monthOf(ctx.now).key;
  // A past month is measured as it ended: its budgets' spend and notices are that month's.
  const inMonth = current ? ctx.now : query.month.from;
  const providers = await listCostProviders(ctx);
  const [budgets, forecasts, quotas, alerts, hints, profitability] = await Promise.all([
    budgetStatuses(ctx.db, livemode, inMonth),
    panel(async () => {
      const codes = providers.map((p) => p.provider.code);
      const [overall, ...each] = await Promise.all([undefined, ...codes].map((provider) => costForecast(ctx, { month: query.month.key, provider, currency })));
      return { overall: overall!, byProvider: new Map(each.map((f) => [f.provider!, f])) };
    }),
    current ? quotaUsages(ctx.db, livemode, ctx.now) : [],
    alertsFiredIn(ctx.db, livemode, inMonth),
    current ? panel(() => apiCostHints(ctx, ctx.now, fmt, currency)) : null,
    panel(async () => {
      const overview = await profitabilityOverview(ctx, { from: query.month.from, to: query.month.to, currency });
      return { unprofitable: overview.customers.filter((c) => c.margin < 0).slice(0, UNPROFITABLE_SHOWN), plans: overview.plans };
    }),
  ]);
  return { providers, current, budgets, forecasts, quotas, alerts, hints, profitability };
}
