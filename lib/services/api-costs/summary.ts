import { costPieces, type CostGrouping } from "@/db/queries/api-costs";
import { AppError } from "@/lib/errors";
import { addDecimal, formatDecimal, normalizeCurrency, parseDecimal, roundDecimal, ZERO_DECIMAL, type ExactDecimal } from "@/lib/money";
import { signupDefaults } from "@/lib/settings/defaults";
import type { ServiceContext } from "../context";
import { fxConverter } from "./fx";
import { modeOf } from "./providers";

export interface CostSummaryQuery {
  from: Date;
  to: Date;
  groupBy: CostGrouping;
  /** The reporting currency; default the install's default currency (aud). */
  currency?: string;
  provider?: string;
  customerId?: string;
  /** Default: the caller's mode. The console passes a customer's own mode for that customer's costs. */
  livemode?: boolean;
}

export interface CostSummaryRow {
  key: string | null;
  /** Exact decimal string. */
  units: string;
  /** Minor units of `currency`, rounded once for the row. */
  cost: number;
  /** The exact cost before that rounding, a decimal string. */
  costDecimal: string;
  currency: string;
  count: number;
}

/**
 * API costs over [from, to) per group, from the hourly rollups (raw costs for the partial hours at
 * either end), every amount converted into the reporting currency at its day's rate and summed
 * exactly; each row's cost is rounded to minor units once, half away from zero.
 */
export async function costSummary(ctx: ServiceContext, query: CostSummaryQuery): Promise<{ currency: string; data: CostSummaryRow[] }> {
  if (query.from >= query.to) throw new AppError("validation_failed", { param: "to", userMessage: "to must be after from." });
  const currency = normalizeCurrency(query.currency ?? signupDefaults.currency);
  const pieces = await costPieces(ctx.db, { livemode: query.livemode ?? modeOf(ctx), from: query.from, to: query.to, groupBy: query.groupBy, provider: query.provider, customerId: query.customerId });
  const dated = pieces.map((p) => ({ ...p, amount: parseDecimal(p.cost, "cost") }));
  const convert = await fxConverter(ctx.db, dated, currency);
  const rows = new Map<string | null, { units: ExactDecimal; cost: ExactDecimal; count: number }>();
  for (const p of dated) {
    const row = rows.get(p.key) ?? { units: ZERO_DECIMAL, cost: ZERO_DECIMAL, count: 0 };
    rows.set(p.key, { units: addDecimal(row.units, parseDecimal(p.units, "units")), cost: addDecimal(row.cost, convert(p)), count: row.count + p.count });
  }
  const data = [...rows].map(([key, r]) => ({ key, units: formatDecimal(r.units), cost: roundDecimal(r.cost), costDecimal: formatDecimal(r.cost), currency, count: r.count }));
  data.sort((a, b) => (query.groupBy === "day" ? (a.key ?? "").localeCompare(b.key ?? "") : b.cost - a.cost || (a.key ?? "").localeCompare(b.key ?? "")));
  return { currency, data };
}
