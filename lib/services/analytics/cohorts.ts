import { cohortFigures } from "@/db/queries/cohorts";
import { cohortGrid, isMonth, monthIndex, type CohortRow } from "@/lib/analytics/cohorts";
import { AppError } from "@/lib/errors";
import { addDecimal, normalizeCurrency, roundDecimal, ZERO_DECIMAL } from "@/lib/money";
import { signupDefaults } from "@/lib/settings/defaults";
import type { ServiceContext } from "../context";
import { fxConverter } from "../api-costs/fx";
import { modeOf } from "../api-costs/providers";

/** At most ten years of cohorts. */
export const MAX_COHORT_MONTHS = 120;

export interface CohortReport {
  from: string;
  to: string;
  currency: string;
  /** The day whose exchange rate converts every cell: the last day of `to`. */
  rate_date: string;
  cohorts: CohortRow[];
}

const lastDayOf = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);

/**
 * The revenue retention grid of the cohorts starting in the months [from, to], observed to `to`
 * (decision 035), in the reporting `currency` (default the install's default): every currency's
 * cells converted at the rate of `to`'s last day, so an exchange-rate move never shows as
 * retention, each cell rounded once. Test or live figures by the caller's mode.
 */
export async function cohortReport(ctx: ServiceContext, q: { from: string; to: string; currency?: string }): Promise<CohortReport> {
  if (!isMonth(q.from)) throw new AppError("validation_failed", { param: "from", userMessage: "from must be a month, YYYY-MM." });
  if (!isMonth(q.to)) throw new AppError("validation_failed", { param: "to", userMessage: "to must be a month, YYYY-MM." });
  if (q.from > q.to) throw new AppError("validation_failed", { param: "from", userMessage: "from must be on or before to." });
  if (monthIndex(q.to) - monthIndex(q.from) >= MAX_COHORT_MONTHS) throw new AppError("validation_failed", { param: "from", userMessage: `At most ${MAX_COHORT_MONTHS} months of cohorts.` });
  const currency = normalizeCurrency(q.currency ?? signupDefaults.currency, "currency");
  const rateDate = lastDayOf(q.to);
  const figures = await cohortFigures(ctx.db, modeOf(ctx), { from: q.from, to: q.to, lastMonth: q.to });
  const convert = await fxConverter(ctx.db, [...new Set(figures.mrr.map((m) => m.currency))].map((c) => ({ currency: c, day: rateDate })), currency);
  const inTarget = (perCurrency: [string, string][]) => roundDecimal(perCurrency.reduce((sum, [c, mrr]) => addDecimal(sum, convert({ amount: { units: BigInt(mrr), scale: 0 }, currency: c, day: rateDate })), ZERO_DECIMAL));
  return { from: q.from, to: q.to, currency, rate_date: rateDate, cohorts: cohortGrid(figures, q.to, inTarget) };
}
