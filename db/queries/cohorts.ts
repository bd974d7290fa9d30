import { sql } from "drizzle-orm";
import { queryRows, type Executor } from "@/db/client";
import type { CohortFigures } from "@/lib/analytics/cohorts";

/**
 * The cohort figures of customers whose MRR first went above zero in the months [from, to], up to
 * `lastMonth`, read at each month's end (decision 035; the definition is
 * `cohortFiguresOf`). One statement over mrr_movements: each customer-currency's last movement of
 * every month it moved in holds until its next such month (`lead`), joined to the months it spans,
 * summed per cohort, month and currency, and customers above zero counted per cohort and month.
 */
export async function cohortFigures(tx: Executor, livemode: boolean, q: { from: string; to: string; lastMonth: string }): Promise<CohortFigures> {
  const rows = await queryRows<{ cohort: string; offset: number | null; currency: string | null; mrr: string | null; customers: number }>(
    tx,
    sql`with starts as (
          select customer_id, date_trunc('month', min(day))::date as cohort
          from mrr_movements where livemode = ${livemode} and mrr > 0
          group by customer_id
          having date_trunc('month', min(day))::date between ${`${q.from}-01`}::date and ${`${q.to}-01`}::date
        ),
        months as (
          select m::date as month from generate_series(${`${q.from}-01`}::date, ${`${q.lastMonth}-01`}::date, interval '1 month') m
        ),
        monthly as (
          select distinct on (mv.customer_id, mv.currency, date_trunc('month', mv.day))
                 mv.customer_id, mv.currency, date_trunc('month', mv.day)::date as month, mv.mrr
          from mrr_movements mv join starts s on s.customer_id = mv.customer_id
          where mv.livemode = ${livemode}
          order by mv.customer_id, mv.currency, date_trunc('month', mv.day), mv.day desc
        ),
        spans as (
          select customer_id, currency, month, mrr, lead(month) over (partition by customer_id, currency order by month) as until from monthly
        ),
        cells as (
          select s.cohort, ((extract(year from m.month) - extract(year from s.cohort)) * 12 + extract(month from m.month) - extract(month from s.cohort))::int as k,
                 sp.customer_id, sp.currency, sp.mrr
          from spans sp
          join starts s on s.customer_id = sp.customer_id
          join months m on m.month >= sp.month and (sp.until is null or m.month < sp.until) and m.month >= s.cohort
        )
        select to_char(cohort, 'YYYY-MM') as cohort, null::int as "offset", null::text as currency, null::text as mrr, count(*)::int as customers from starts group by cohort
        union all
        select to_char(cohort, 'YYYY-MM'), k, currency, sum(mrr)::text, count(distinct customer_id) filter (where mrr > 0)::int
        from cells group by grouping sets ((cohort, k, currency), (cohort, k))`,
  );
  const figures: CohortFigures = { sizes: [], mrr: [], retained: [] };
  for (const r of rows) {
    if (r.offset === null) figures.sizes.push({ cohort: r.cohort, customers: r.customers });
    else if (r.currency === null) figures.retained.push({ cohort: r.cohort, offset: r.offset, customers: r.customers });
    else figures.mrr.push({ cohort: r.cohort, offset: r.offset, currency: r.currency, mrr: r.mrr ?? "0" });
  }
  return figures;
}
