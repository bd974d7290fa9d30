import { activeCustomersBefore, churnedCustomersBetween, movementsBetween, periodCounts } from "@/db/queries/analytics-summary";
import { openingMrr } from "@/db/queries/mrr-series";
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
  const db = ctx.db;
  const livemode = modeOf(ctx);
  const currency = normalizeCurrency(q.currency ?? signupDefaults.currency, "currency");
  const periodStart = `${q.date.slice(0, 7)}-01`;
  const end = nextDay(q.date);
  const [startMrr, endMrr, moved, customersAtStart, activeCustomers, churnedCustomers, counts] = await Promise.all([
    openingMrr(db, livemode, periodStart),
    openingMrr(db, livemode, end),
    movementsBetween(db, livemode, periodStart, q.date),
    activeCustomersBefore(db, livemode, periodStart),
    activeCustomersBefore(db, livemode, end),
    churnedCustomersBetween(db, livemode, periodStart, q.date),
    periodCounts(db, livemode, new Date(`${periodStart}T00:00:00Z`), new Date(`${end}T00:00:00Z`)),
  ]);
  const currencies = new Set([...startMrr.keys(), ...endMrr.keys(), ...moved.map((m) => m.currency)]);
  const convert = await fxConverter(db, [...currencies].map((c) => ({ currency: c, day: q.date })), currency);
  const inTarget = (perCurrency: Iterable<[string, number | string]>) =>
    roundDecimal([...perCurrency].reduce((sum, [c, amount]) => addDecimal(sum, convert({ amount: { units: BigInt(amount), scale: 0 }, currency: c, day: q.date })), ZERO_DECIMAL));
  const kindTotal = (kind: MovementKind) => inTarget(moved.filter((m) => m.kind === kind).map((m) => [m.currency, m.delta]));
  const metrics = summaryMetrics({
    startMrr: inTarget(startMrr),
    endMrr: inTarget(endMrr),
    moved: Object.fromEntries(movementKinds.map((k) => [k, kindTotal(k)])) as Record<MovementKind, number>,
    customersAtStart,
    activeCustomers,
    churnedCustomers,
    trialsEnded: counts.trials_ended,
    trialsConverted: counts.trials_converted,
    paymentsSucceeded: counts.payments_succeeded,
    paymentsFailed: counts.payments_failed,
    invoicesFailed: counts.invoices_failed,
    invoicesRecovered: counts.invoices_recovered,
  });
  return { date: q.date, period_start: periodStart, currency, ...metrics };
}
