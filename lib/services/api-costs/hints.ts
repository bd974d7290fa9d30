import type { Formatter } from "@/lib/format";
import { costUseByProviderRegionOperation, feeSharePieces } from "@/db/queries/profitability";
import { dayKey } from "@/lib/api-costs/forecast";
import { DAY_MS } from "@/lib/time";
import { costHints, type FeeShare, type Hint, type QuotaUse, type RateOffer } from "@/lib/api-costs/hints";
import { rateInForce } from "@/lib/api-costs/rules";
import { addDecimal, formatDecimal, normalizeCurrency, parseDecimal, roundDecimal, ZERO_DECIMAL, type ExactDecimal } from "@/lib/money";
import { signupDefaults } from "@/lib/settings/defaults";
import type { ServiceContext } from "../context";
import { fxConverter } from "./fx";
import { profitabilityByCustomer } from "./profitability";
import { listCostProviders, modeOf } from "./providers";
import { quotaUsages } from "./quotas";

/** Customers' margins and fee shares are judged over this many days up to `at`. */
export const HINT_WINDOW_DAYS = 30;

export interface CostHints {
  currency: string;
  at: Date;
  hints: Hint[];
}

/**
 * The optimisation hints of the API costs page as of `at` (lib/api-costs/hints.ts): quotas against
 * the units used in their current day or month; for each region and operation a provider served
 * this month, the rates in force at `at` of every provider configured for that region (its
 * regional rate, else its provider-wide one), converted at `at`'s day rate; customers' API cost
 * against revenue and gateway fees by card brand and customer country over the last 30 days
 * (payments record the card's brand but not its country: the customer's billing country stands in).
 * The hints' words and figures are written with `fmt`, the reader's formatter.
 */
export async function apiCostHints(ctx: ServiceContext, at: Date, fmt: Formatter, currency: string = signupDefaults.currency): Promise<CostHints> {
  const reporting = normalizeCurrency(currency);
  const livemode = modeOf(ctx);
  const monthStart = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const today = dayKey(at.getTime());
  const windowFrom = new Date(at.getTime() - HINT_WINDOW_DAYS * DAY_MS);
  const [providers, usages, use, fees, margins] = await Promise.all([
    listCostProviders(ctx),
    quotaUsages(ctx.db, livemode, at),
    costUseByProviderRegionOperation(ctx.db, { livemode, from: monthStart, to: at }),
    feeSharePieces(ctx.db, { livemode, from: windowFrom, to: at }),
    profitabilityByCustomer(ctx, { from: windowFrom, to: at, currency: reporting }),
  ]);

  const quotas: QuotaUse[] = usages.map((u) => ({ provider: u.provider.code, limit: u.quota.limit, period: u.quota.period, used: Number(formatDecimal(u.used)) }));

  const usedUnits = new Map<string, ExactDecimal>();
  for (const u of use) {
    if (u.region === null) continue;
    const key = `${u.provider}\u0000${u.region}\u0000${u.operation}`;
    usedUnits.set(key, addDecimal(usedUnits.get(key) ?? ZERO_DECIMAL, parseDecimal(u.units, "units")));
  }
  const servedPairs = new Set(use.flatMap((u) => (u.region === null ? [] : [`${u.region}\u0000${u.operation}`])));
  const candidates = providers.flatMap(({ provider, rates }) =>
    [...servedPairs].flatMap((pair) => {
      const [region = "", operation = ""] = pair.split("\u0000");
      if (!provider.regions.includes(region)) return [];
      const rate = rateInForce(rates, { operation, region, at });
      return rate ? [{ provider: provider.code, region, operation, rate }] : [];
    }),
  );
  const convert = await fxConverter(
    ctx.db,
    candidates.map((c) => ({ currency: c.rate.currency, day: today })),
    reporting,
  );
  const offers: RateOffer[] = candidates.map((c) => ({
    provider: c.provider,
    region: c.region,
    operation: c.operation,
    unit: c.rate.unit,
    unitCost: Number(formatDecimal(convert({ amount: parseDecimal(String(c.rate.unitCostDecimal), "unit_cost_decimal"), currency: c.rate.currency, day: today }))),
    usedUnits: Number(formatDecimal(usedUnits.get(`${c.provider}\u0000${c.region}\u0000${c.operation}`) ?? ZERO_DECIMAL)),
  }));

  const feeConvert = await fxConverter(ctx.db, fees, reporting);
  const groups = new Map<string, { brand: string | null; country: string | null; payments: number; revenue: ExactDecimal; fees: ExactDecimal }>();
  for (const f of fees) {
    const key = `${f.brand ?? ""}\u0000${f.country ?? ""}`;
    const g = groups.get(key) ?? { brand: f.brand, country: f.country, payments: 0, revenue: ZERO_DECIMAL, fees: ZERO_DECIMAL };
    groups.set(key, {
      ...g,
      payments: g.payments + f.payments,
      revenue: addDecimal(g.revenue, feeConvert({ amount: parseDecimal(f.amount), currency: f.currency, day: f.day })),
      fees: addDecimal(g.fees, feeConvert({ amount: parseDecimal(f.fees), currency: f.currency, day: f.day })),
    });
  }
  const feeShares: FeeShare[] = [...groups.values()].map((g) => ({ brand: g.brand, country: g.country, payments: g.payments, revenue: roundDecimal(g.revenue), fees: roundDecimal(g.fees) }));

  const customers = margins.map((m) => ({ customerId: m.customer.id, name: m.customer.name, revenue: m.revenue, apiCost: m.apiCost }));
  return { currency: reporting, at, hints: costHints({ currency: reporting, quotas, offers, customers, feeShares, fmt }) };
}
