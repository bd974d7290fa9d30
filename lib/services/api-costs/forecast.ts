import { costPieces } from "@/db/queries/api-costs";
import { budgetsOf } from "@/db/queries/api-cost-budgets";
import { dayKey, monthRange, projectMonthEnd, SHAPE_DAYS, type ForecastMethod } from "@/lib/api-costs/forecast";
import { DAY_MS } from "@/lib/time";
import { AppError } from "@/lib/errors";
import { addDecimal, formatDecimal, normalizeCurrency, parseDecimal, roundDecimal, ZERO_DECIMAL, type ExactDecimal } from "@/lib/money";
import { signupDefaults } from "@/lib/settings/defaults";
import type { ServiceContext } from "../context";
import { fxConverter } from "./fx";
import { modeOf } from "./providers";

export interface ForecastQuery {
  /** YYYY-MM; default the month of `at`. */
  month?: string;
  /** A provider's code; all providers when absent. */
  provider?: string;
  /** The reporting currency; default the install's default currency. */
  currency?: string;
}

export interface CostForecast {
  month: string;
  provider: string | null;
  /** Minor units of `currency` spent in the month up to `asOf`, exact until rounded once. */
  spent: number;
  /** spent + the projection of the rest of the month (lib/api-costs/forecast.ts), in minor units. */
  forecast: number;
  /** The monthly budget for the provider (or for all providers) in `currency`, in minor units; null without one. */
  budget: number | null;
  currency: string;
  method: ForecastMethod;
  asOf: Date;
}

/**
 * Month-end API spend as of `at` (ctx.now for the API): the month's costs so far and the days of
 * history the method learns its weekday shape from, per UTC day, converted into the reporting
 * currency at each day's rate; the spent figure is their exact sum rounded once, the forecast adds
 * the method's projection (rounded) to it. A month not begun yet is refused.
 */
export async function costForecast(ctx: ServiceContext, query: ForecastQuery, at: Date = ctx.now): Promise<CostForecast> {
  const month = query.month ?? at.toISOString().slice(0, 7);
  const range = monthRange(month);
  if (range.start > at) throw new AppError("validation_failed", { param: "month", userMessage: "month must be the current month or an earlier one." });
  // The budget of the same scope; its currency is the report's unless another is asked for.
  const scoped = (await budgetsOf(ctx.db, modeOf(ctx))).filter((b) => b.providerCode === (query.provider ?? null));
  const currency = normalizeCurrency(query.currency ?? scoped[0]?.currency ?? signupDefaults.currency);
  const budget = scoped.find((b) => b.currency === currency)?.amount ?? null;
  const asOf = at < range.end ? at : range.end;
  const historyFrom = new Date(Math.min(range.start.getTime(), (Math.floor(asOf.getTime() / DAY_MS) - SHAPE_DAYS) * DAY_MS));
  const pieces =
    asOf > historyFrom
      ? await costPieces(ctx.db, { livemode: modeOf(ctx), from: historyFrom, to: asOf, groupBy: "day", provider: query.provider })
      : [];
  const convert = await fxConverter(ctx.db, pieces, currency);
  const daily = new Map<string, ExactDecimal>();
  for (const p of pieces) daily.set(p.day, addDecimal(daily.get(p.day) ?? ZERO_DECIMAL, convert({ ...p, amount: parseDecimal(p.cost, "cost") })));
  const monthStartKey = dayKey(range.start.getTime());
  const spentExact = [...daily].reduce((sum, [day, amount]) => (day >= monthStartKey ? addDecimal(sum, amount) : sum), ZERO_DECIMAL);
  const estimates = new Map([...daily].map(([day, amount]) => [day, Number(formatDecimal(amount))]));
  const { projected, method } = projectMonthEnd(estimates, range, asOf);
  const spent = roundDecimal(spentExact);
  return { month, provider: query.provider ?? null, spent, forecast: spent + Math.round(projected), budget, currency, method, asOf };
}
