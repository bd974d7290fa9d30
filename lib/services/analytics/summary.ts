import { activeCustomersBefore, churnedCustomersBetween, dailyMovements, periodCounts } from "@/db/queries/analytics-summary";
import { summaryMetrics, type SummaryMetrics } from "@/lib/analytics/metrics";
import { movementKinds, type MovementKind } from "@/lib/analytics/mrr";
import { addDecimal, normalizeCurrency, roundDecimal, ZERO_DECIMAL } from "@/lib/money";
import { signupDefaults } from "@/lib/settings/defaults";
import type { ServiceContext } from "../context";
import { fxConverter } from "../api-costs/fx";
import { modeOf } from "../api-costs/providers";

export interface AnalyticsSummary extends SummaryMetrics {
  date: string;
  /** The period the rates are over: the UTC calendar month of `date`, up to and including it. */
  period_start: string;
  currency: string;
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The metrics of the month to `date` (UTC days) in the reporting `currency` (default the install's
 * default currency): every currency's amounts converted at the rate of `date` and each figure
 * rounded once, so an exchange-rate move is never counted as churn or expansion. Test or live
 * figures by the caller's mode.
 */
export async function analyticsSummary(ctx: ServiceContext, q: { date: string; currency?: string }): Promise<AnalyticsSummary> {
  const [summary] = await analyticsSummaries(ctx, { dates: [q.date], currency: q.currency });
  return summary!;
}

/**
 * analyticsSummary for each of `dates` (a trend: one per month), read together — one scan of the
 * movements, one pass for the customers above zero at every boundary, one statement for the
 * period counts of every month — rather than once per date.
 */
export async function analyticsSummaries(ctx: ServiceContext, q: { dates: readonly string[]; currency?: string }): Promise<AnalyticsSummary[]> {
  if (q.dates.length === 0) return [];
  const db = ctx.db;
  const livemode = modeOf(ctx);
  const currency = normalizeCurrency(q.currency ?? signupDefaults.currency, "currency");
  const periods = q.dates.map((date) => ({ date, start: `${date.slice(0, 7)}-01`, end: nextDay(date) }));
  const last = [...q.dates].sort().at(-1)!;
  const [daily, active, churned, counts] = await Promise.all([
    dailyMovements(db, livemode, last),
    activeCustomersBefore(db, livemode, [...new Set(periods.flatMap((p) => [p.start, p.end]))]),
    churnedCustomersBetween(db, livemode, periods.map((p) => ({ from: p.start, to: p.date }))),
    periodCounts(db, livemode, periods.map((p) => ({ from: new Date(`${p.start}T00:00:00Z`), to: new Date(`${p.end}T00:00:00Z`) }))),
  ]);
  const currencies = [...new Set(daily.map((m) => m.currency))];
  const convert = await fxConverter(db, periods.flatMap((p) => currencies.map((c) => ({ currency: c, day: p.date }))), currency);
  return periods.map((p, i) => {
    // Per currency: the sum of the deltas before the month, before the day after `date`, and of each kind in between.
    const sum = (keep: (m: (typeof daily)[number]) => boolean) => {
      const out = new Map<string, bigint>();
      for (const m of daily) if (keep(m)) out.set(m.currency, (out.get(m.currency) ?? 0n) + BigInt(m.delta));
      return out;
    };
    const inTarget = (perCurrency: Map<string, bigint>) =>
      roundDecimal([...perCurrency].reduce((total, [c, units]) => addDecimal(total, convert({ amount: { units, scale: 0 }, currency: c, day: p.date })), ZERO_DECIMAL));
    const within = (m: (typeof daily)[number]) => m.day >= p.start && m.day <= p.date;
    const metrics = summaryMetrics({
      startMrr: inTarget(sum((m) => m.day < p.start)),
      endMrr: inTarget(sum((m) => m.day < p.end)),
      moved: Object.fromEntries(movementKinds.map((k) => [k, inTarget(sum((m) => m.kind === k && within(m)))])) as Record<MovementKind, number>,
      customersAtStart: active.get(p.start) ?? 0,
      activeCustomers: active.get(p.end) ?? 0,
      churnedCustomers: churned[i]!,
      trialsEnded: counts[i]!.trials_ended,
      trialsConverted: counts[i]!.trials_converted,
      paymentsSucceeded: counts[i]!.payments_succeeded,
      paymentsFailed: counts[i]!.payments_failed,
      invoicesFailed: counts[i]!.invoices_failed,
      invoicesRecovered: counts[i]!.invoices_recovered,
    });
    return { date: p.date, period_start: p.start, currency, ...metrics };
  });
}
