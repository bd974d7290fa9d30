import { rate } from "./metrics";

/**
 * Cohorts by start month: the revenue retention grid (decision 035). A customer's cohort is the
 * UTC month of the first day its MRR (any currency) was above zero. The cohort's MRR in month k is
 * the sum of its customers' MRR at the end of the k-th month after the start (its last day: for
 * the current month, the latest figure); starting MRR is month 0's figure, so month 0 is 100 % of
 * it. Customers retained in month k are the cohort's customers with MRR above zero then. Pure.
 */

/** "YYYY-MM" → months since year 0, so two months subtract. */
export const monthIndex = (month: string): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
export const monthOfIndex = (i: number): string => `${String(Math.floor(i / 12)).padStart(4, "0")}-${String((i % 12) + 1).padStart(2, "0")}`;
export const isMonth = (s: string | undefined): s is string => !!s && /^\d{4}-(0[1-9]|1[0-2])$/.test(s);

/** What the statement (or the definition below) returns, one currency per MRR row, before conversion. */
export interface CohortFigures {
  /** Customers whose MRR first went above zero in the month. */
  sizes: { cohort: string; customers: number }[];
  /** A cohort's MRR in one currency at the end of its k-th month (minor units as text: sums can exceed 2^53 before conversion). */
  mrr: { cohort: string; offset: number; currency: string; mrr: string }[];
  /** A cohort's customers with MRR above zero (in any currency) at the end of its k-th month. */
  retained: { cohort: string; offset: number; customers: number }[];
}

export interface CohortCell {
  months_since_start: number;
  /** The cohort's MRR at the end of that month, in the reporting currency. */
  mrr: number;
  /** mrr ÷ starting MRR, a decimal string to 4 places; null when starting MRR is 0. */
  revenue_retention: string | null;
  customers: number;
  /** customers ÷ cohort size. */
  customer_retention: string | null;
}

export interface CohortRow {
  cohort: string;
  customers: number;
  starting_mrr: number;
  cells: CohortCell[];
}

/**
 * The grid from the figures: one row per cohort with a size, one cell per month from the start to
 * `lastMonth` (months without a figure are 0), amounts through `inTarget` (convert each currency's
 * minor units to the reporting currency and round once per cell).
 */
export function cohortGrid(figures: CohortFigures, lastMonth: string, inTarget: (perCurrency: [string, string][]) => number): CohortRow[] {
  const last = monthIndex(lastMonth);
  return [...figures.sizes]
    .sort((a, b) => a.cohort.localeCompare(b.cohort))
    .map(({ cohort, customers }) => {
      const span = Math.max(0, last - monthIndex(cohort) + 1);
      const amounts = Array.from({ length: span }, (_, k) => inTarget(figures.mrr.filter((m) => m.cohort === cohort && m.offset === k).map((m) => [m.currency, m.mrr])));
      const counts = Array.from({ length: span }, (_, k) => figures.retained.find((r) => r.cohort === cohort && r.offset === k)?.customers ?? 0);
      const starting = amounts[0] ?? 0;
      return {
        cohort,
        customers,
        starting_mrr: starting,
        cells: amounts.map((mrr, k) => ({ months_since_start: k, mrr, revenue_retention: rate(mrr, starting), customers: counts[k]!, customer_retention: rate(counts[k]!, customers) })),
      };
    });
}

/** One customer's MRR in one currency from `day` on (a row of mrr_movements). */
export interface MovementPoint {
  customerId: string;
  currency: string;
  day: string;
  mrr: number;
}

/**
 * The definition the statement is held to: cohorts starting in [from, to] (months) and their
 * figures up to `lastMonth`, read on each month's last day.
 */
export function cohortFiguresOf(movements: readonly MovementPoint[], q: { from: string; to: string; lastMonth: string }): CohortFigures {
  const byCustomer = new Map<string, MovementPoint[]>();
  for (const m of movements) byCustomer.set(m.customerId, [...(byCustomer.get(m.customerId) ?? []), m]);
  const sizes = new Map<string, number>();
  const mrr = new Map<string, bigint>();
  const retained = new Map<string, number>();
  for (const rows of byCustomer.values()) {
    const firstAbove = rows.filter((r) => r.mrr > 0).map((r) => r.day).sort()[0];
    if (!firstAbove) continue;
    const cohort = firstAbove.slice(0, 7);
    if (cohort < q.from || cohort > q.to) continue;
    sizes.set(cohort, (sizes.get(cohort) ?? 0) + 1);
    for (let k = 0; monthIndex(cohort) + k <= monthIndex(q.lastMonth); k++) {
      const month = monthOfIndex(monthIndex(cohort) + k);
      let above = false;
      for (const currency of new Set(rows.map((r) => r.currency))) {
        const latest = rows.filter((r) => r.currency === currency && r.day.slice(0, 7) <= month).sort((a, b) => a.day.localeCompare(b.day)).at(-1);
        if (!latest) continue;
        const key = `${cohort}|${k}|${currency}`;
        mrr.set(key, (mrr.get(key) ?? 0n) + BigInt(latest.mrr));
        if (latest.mrr > 0) above = true;
      }
      if (above) retained.set(`${cohort}|${k}`, (retained.get(`${cohort}|${k}`) ?? 0) + 1);
    }
  }
  return {
    sizes: [...sizes].map(([cohort, customers]) => ({ cohort, customers })),
    mrr: [...mrr].map(([key, sum]) => {
      const [cohort, k, currency] = key.split("|") as [string, string, string];
      return { cohort, offset: Number(k), currency, mrr: sum.toString() };
    }),
    retained: [...retained].map(([key, customers]) => {
      const [cohort, k] = key.split("|") as [string, string];
      return { cohort, offset: Number(k), customers };
    }),
  };
}
