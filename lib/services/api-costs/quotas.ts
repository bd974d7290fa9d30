import { providersWithQuota } from "@/db/queries/api-cost-budgets";
import { costPieces, type CostProviderRow } from "@/db/queries/api-costs";
import type { Executor } from "@/db/client";
import type { CostQuota } from "@/db/schema";
import { quotaWindow } from "@/lib/api-costs/budget-rules";
import { addDecimal, parseDecimal, ZERO_DECIMAL, type ExactDecimal } from "@/lib/money";

export interface QuotaUsage {
  provider: CostProviderRow;
  quota: CostQuota;
  /** [start, end) of the quota's UTC day or month containing the instant asked about. */
  window: { start: Date; end: Date };
  /** The provider's units (all operations) in the window, exact. */
  used: ExactDecimal;
  /** used and the limit at one scale, for exact comparisons (used × 100 ≥ limit × t). */
  scaled: { used: bigint; limit: bigint };
  /** Whole percent of the limit used, rounded down from the exact units. */
  percent: number;
}

/**
 * Each quota of a mode at `at`: the provider's units in the quota's current UTC day or month
 * against its limit. The one measure of a quota: the alerts check fires its warnings from it, the
 * console's gauges and the optimisation hints show it. One read of the costs per window kind.
 */
export async function quotaUsages(tx: Executor, livemode: boolean, at: Date): Promise<QuotaUsage[]> {
  const providers = (await providersWithQuota(tx, livemode)).flatMap((p) => (p.quota && p.quota.limit > 0 ? [{ provider: p, quota: p.quota, window: quotaWindow(p.quota.period, at) }] : []));
  if (providers.length === 0) return [];
  const units = new Map<string, ExactDecimal>();
  for (const period of new Set(providers.map((p) => p.quota.period))) {
    const window = quotaWindow(period, at);
    for (const piece of await costPieces(tx, { livemode, from: window.start, to: window.end, groupBy: "provider" })) {
      const key = `${period}|${piece.key ?? ""}`;
      units.set(key, addDecimal(units.get(key) ?? ZERO_DECIMAL, parseDecimal(piece.units, "units")));
    }
  }
  return providers.map(({ provider, quota, window }) => {
    const used = units.get(`${quota.period}|${provider.code}`) ?? ZERO_DECIMAL;
    const limit = parseDecimal(String(quota.limit), "limit");
    const scale = Math.max(used.scale, limit.scale);
    const scaled = { used: used.units * 10n ** BigInt(scale - used.scale), limit: limit.units * 10n ** BigInt(scale - limit.scale) };
    return { provider, quota, window, used, scaled, percent: Number((scaled.used * 100n) / scaled.limit) };
  });
}

