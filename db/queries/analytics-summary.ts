import { sql } from "drizzle-orm";
import { queryRows, type Executor } from "@/db/client";
import type { MovementKind } from "@/lib/analytics/mrr";

/**
 * Per currency, UTC day and kind, the movements' deltas summed over every day up to `to`: the MRR
 * before any day and the movements of any range within it follow by summing (a customer's deltas
 * from zero are its MRR, decision 032). One scan for every month of a trend.
 */
export function dailyMovements(tx: Executor, livemode: boolean, to: string): Promise<{ currency: string; day: string; kind: MovementKind; delta: string }[]> {
  return queryRows(
    tx,
    sql`select currency, to_char(day, 'YYYY-MM-DD') as day, kind, sum(delta)::text as delta from mrr_movements
        where livemode = ${livemode} and day <= ${to}::date group by currency, day, kind order by day`,
  );
}

/**
 * Customers with MRR above zero (in any currency) at the end of the day before each of `days`:
 * each customer's movement per currency holds from its day to the next one, so one pass over the
 * movements (in primary-key order) answers every day at once.
 */
export async function activeCustomersBefore(tx: Executor, livemode: boolean, days: readonly string[]): Promise<Map<string, number>> {
  if (days.length === 0) return new Map();
  const last = [...days].sort().at(-1)!;
  const rows = await queryRows<{ day: string; n: number }>(
    tx,
    sql`with m as (
          select customer_id, day, mrr, lead(day) over (partition by customer_id, currency order by day) as next
          from mrr_movements where livemode = ${livemode} and day < ${last}::date)
        select to_char(b.day, 'YYYY-MM-DD') as day, count(distinct m.customer_id)::int as n
        from unnest(${sql.param([...days])}::date[]) as b(day) join m on m.mrr > 0 and m.day < b.day and (m.next is null or m.next >= b.day)
        group by b.day`,
  );
  const found = new Map(rows.map((r) => [r.day, r.n]));
  return new Map(days.map((d) => [d, found.get(d) ?? 0]));
}

/** Per range of UTC days [from, to], the customers with a churn movement in it (in the ranges' order). */
export async function churnedCustomersBetween(tx: Executor, livemode: boolean, ranges: readonly { from: string; to: string }[]): Promise<number[]> {
  const rows = await queryRows<{ i: number; n: number }>(
    tx,
    sql`select r.i::int as i, count(distinct m.customer_id)::int as n
        from unnest(${sql.param(ranges.map((r) => r.from))}::date[], ${sql.param(ranges.map((r) => r.to))}::date[]) with ordinality as r(f, t, i)
        join mrr_movements m on m.livemode = ${livemode} and m.kind = 'churn' and m.day >= r.f and m.day <= r.t
        group by r.i`,
  );
  const found = new Map(rows.map((r) => [r.i, r.n]));
  return ranges.map((_, i) => found.get(i + 1) ?? 0);
}

export interface PeriodCounts {
  trials_ended: number;
  trials_converted: number;
  payments_succeeded: number;
  payments_failed: number;
  invoices_failed: number;
  invoices_recovered: number;
}

/**
 * Per range [from, to) (in the ranges' order): trials that ended (a status change out of trialing)
 * and those that went to a paid status; payments created that succeeded or failed; invoices with a
 * failed payment and those of them paid before `to`.
 */
export async function periodCounts(tx: Executor, livemode: boolean, ranges: readonly { from: Date; to: Date }[]): Promise<PeriodCounts[]> {
  const iso = (d: Date) => d.toISOString();
  const rows = await queryRows<PeriodCounts & { i: number }>(
    tx,
    sql`select r.i::int as i, t.trials_ended, t.trials_converted, p.payments_succeeded, p.payments_failed, p.invoices_failed, p.invoices_recovered
    from unnest(${sql.param(ranges.map((r) => iso(r.from)))}::timestamptz[], ${sql.param(ranges.map((r) => iso(r.to)))}::timestamptz[]) with ordinality as r(f, t, i),
    lateral (select count(*)::int as trials_ended, (count(*) filter (where h.to_status in ('active', 'past_due')))::int as trials_converted
          from subscription_status_history h join subscriptions s on s.id = h.subscription_id
          where s.livemode = ${livemode} and h.from_status = 'trialing' and h.to_status <> 'trialing' and h.at >= r.f and h.at < r.t) t,
    lateral (select (count(*) filter (where p.status = 'succeeded'))::int as payments_succeeded, (count(*) filter (where p.status = 'failed'))::int as payments_failed,
            (count(distinct p.invoice_id) filter (where p.status = 'failed' and i.livemode = ${livemode}))::int as invoices_failed,
            (count(distinct p.invoice_id) filter (where p.status = 'failed' and i.livemode = ${livemode} and i.paid_at < r.t))::int as invoices_recovered
          from payments p left join invoices i on i.id = p.invoice_id and p.status = 'failed'
          where p.livemode = ${livemode} and p.status in ('succeeded', 'failed') and p.created_at >= r.f and p.created_at < r.t) p
    order by r.i`,
  );
  return rows.map(({ i: _, ...counts }) => counts);
}
