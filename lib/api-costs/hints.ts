
/**
 * Optimisation hints for the API costs page (issue 17, item 8): plain rules over figures the service
 * gathers (lib/services/api-costs/hints.ts). Pure; amounts are minor units of the reporting
 * currency (unit costs may be fractions of a minor unit).
 */

/** A quota is "near" from this share of its limit. */
export const QUOTA_NEAR_PERCENT = 80;
import type { Formatter } from "@/lib/format";
/** A card brand/country's fee share is notable from this multiple of the overall share… */
export const FEE_SHARE_NOTABLE_RATIO = 1.2;
/** …with at least this many payments behind it. */
export const FEE_SHARE_MIN_PAYMENTS = 3;

export interface QuotaUse {
  provider: string;
  limit: number;
  period: "day" | "month";
  /** Units used in the quota's current period. */
  used: number;
}

/** A provider's rate in force for an operation in a region (its own or its provider-wide one). */
export interface RateOffer {
  provider: string;
  region: string;
  operation: string;
  unit: string;
  /** Minor units of the reporting currency per unit. */
  unitCost: number;
  /** Units the provider served for this region and operation this period (0: configured, unused). */
  usedUnits: number;
}

export interface CustomerMargin {
  customerId: string;
  name: string | null;
  revenue: number;
  apiCost: number;
}

export interface FeeShare {
  brand: string | null;
  country: string | null;
  payments: number;
  /** Amount charged and gateway fees, minor units. */
  revenue: number;
  fees: number;
}

export interface HintInputs {
  /** How the hints' amounts are written (the business locale). */
  fmt: Formatter;
  currency: string;
  quotas: readonly QuotaUse[];
  offers: readonly RateOffer[];
  customers: readonly CustomerMargin[];
  feeShares: readonly FeeShare[];
}

export type Hint = { severity: "info" | "warning" | "critical"; message: string } & (
  | { kind: "quota_near"; provider: string; used: number; limit: number; period: "day" | "month"; percent: number }
  | { kind: "cheaper_provider"; region: string; operation: string; unit: string; provider: string; unitCost: number; alternative: string; alternativeUnitCost: number; estimatedSaving: number }
  | { kind: "cost_exceeds_revenue"; customerId: string; name: string | null; revenue: number; apiCost: number }
  | { kind: "fee_share"; brand: string | null; country: string | null; payments: number; revenue: number; fees: number; percent: number; overallPercent: number }
);

const percentOf = (part: number, whole: number) => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : 0);

/** A provider at or above 80 % of its quota this period: warning, critical from 100 %. */
export function quotaHints(quotas: readonly QuotaUse[]): Hint[] {
  return quotas.flatMap((q): Hint[] => {
    // Judged on the exact figures: the one-decimal percent is for reading (79.99 % shows as 80 %).
    if (q.limit <= 0 || q.used * 100 < QUOTA_NEAR_PERCENT * q.limit) return [];
    const percent = percentOf(q.used, q.limit);
    const severity = q.used >= q.limit ? "critical" : "warning";
    const message = `${q.provider} has used ${percent}% of its ${q.period === "day" ? "daily" : "monthly"} quota (${q.used} of ${q.limit}).`;
    return [{ kind: "quota_near", severity, message, provider: q.provider, used: q.used, limit: q.limit, period: q.period, percent }];
  });
}

/**
 * A region and operation served by a provider dearer than another configured for the same region
 * and operation, in the same unit (rates in force, in the reporting currency): the cheapest
 * alternative, with what the period's units would have cost less.
 */
export function cheaperProviderHints(offers: readonly RateOffer[], currency: string, fmt: Formatter): Hint[] {
  const hints: Hint[] = [];
  for (const served of offers) {
    if (served.usedUnits <= 0) continue;
    const cheaper = offers
      .filter((o) => o.provider !== served.provider && o.region === served.region && o.operation === served.operation && o.unit === served.unit && o.unitCost < served.unitCost)
      .sort((a, b) => a.unitCost - b.unitCost || a.provider.localeCompare(b.provider))[0];
    if (!cheaper) continue;
    const estimatedSaving = Math.round(served.usedUnits * (served.unitCost - cheaper.unitCost));
    hints.push({
      kind: "cheaper_provider",
      severity: "info",
      message: `${served.region} ${served.operation} is served by ${served.provider}; ${cheaper.provider} is configured for it at a lower rate (this period's ${served.usedUnits} ${served.unit} would have cost ${fmt.money(estimatedSaving, currency)} less).`,
      region: served.region,
      operation: served.operation,
      unit: served.unit,
      provider: served.provider,
      unitCost: served.unitCost,
      alternative: cheaper.provider,
      alternativeUnitCost: cheaper.unitCost,
      estimatedSaving,
    });
  }
  return hints.sort((a, b) => (b.kind === "cheaper_provider" && a.kind === "cheaper_provider" ? b.estimatedSaving - a.estimatedSaving : 0));
}

/** Customers whose attributed API cost exceeds their revenue, the largest shortfall first. */
export function costOverRevenueHints(customers: readonly CustomerMargin[], currency: string, fmt: Formatter): Hint[] {
  return customers
    .filter((c) => c.apiCost > c.revenue)
    .sort((a, b) => b.apiCost - b.revenue - (a.apiCost - a.revenue) || a.customerId.localeCompare(b.customerId))
    .map((c) => ({
      kind: "cost_exceeds_revenue" as const,
      severity: "warning" as const,
      message: `${c.name ?? c.customerId} cost ${fmt.money(c.apiCost, currency)} in API calls against ${fmt.money(c.revenue, currency)} of revenue.`,
      customerId: c.customerId,
      name: c.name,
      revenue: c.revenue,
      apiCost: c.apiCost,
    }));
}

/**
 * Gateway fees as a share of the amount charged, per card brand and customer country, highest
 * first: every group is listed (info); a group whose share is at least 1.2 × the overall share,
 * over at least 3 payments, is a warning.
 */
export function feeShareHints(shares: readonly FeeShare[]): Hint[] {
  const total = shares.reduce((t, s) => ({ revenue: t.revenue + s.revenue, fees: t.fees + s.fees }), { revenue: 0, fees: 0 });
  const overallPercent = percentOf(total.fees, total.revenue);
  return shares
    .filter((s) => s.revenue > 0)
    .map((s) => {
      const percent = percentOf(s.fees, s.revenue);
      const notable = s.payments >= FEE_SHARE_MIN_PAYMENTS && s.fees * total.revenue >= FEE_SHARE_NOTABLE_RATIO * total.fees * s.revenue && total.fees > 0;
      const label = `${s.brand ?? "no card"} / ${s.country ?? "unknown country"}`;
      return {
        kind: "fee_share" as const,
        severity: notable ? ("warning" as const) : ("info" as const),
        message: `Gateway fees are ${percent}% of ${label} revenue (${overallPercent}% overall).`,
        brand: s.brand,
        country: s.country,
        payments: s.payments,
        revenue: s.revenue,
        fees: s.fees,
        percent,
        overallPercent,
      };
    })
    .sort((a, b) => b.percent - a.percent || a.message.localeCompare(b.message));
}

const severityOrder = { critical: 0, warning: 1, info: 2 } as const;

/** Every hint, the most severe first (the rules' own order within a severity). */
export function costHints(input: HintInputs): Hint[] {
  const all = [...quotaHints(input.quotas), ...cheaperProviderHints(input.offers, input.currency, input.fmt), ...costOverRevenueHints(input.customers, input.currency, input.fmt), ...feeShareHints(input.feeShares)];
  return all.map((h, i) => ({ h, i })).sort((a, b) => severityOrder[a.h.severity] - severityOrder[b.h.severity] || a.i - b.i).map(({ h }) => h);
}
