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
 * Customers with MRR above zero (in any currency) at the end of the day before each of `days`.
 * A customer's currency goes above zero exactly on a new or reactivation movement and to zero on
 * a churn (classifyMovement), so the number of its currencies above zero is the running sum of
 * those, and the customer is counted from the day that sum leaves zero to the day it returns.
 * One pass over the movements gives each day's change in that count; each of `days` sums the
 * changes before it — every boundary of a trend at once, where reading each customer's last
 * movement would sort them all once per boundary.
 */
export async function activeCustomersBefore(tx: Executor, livemode: boolean, days: readonly string[]): Promise<Map<string, number>> {
  if (days.length === 0) return new Map();
  const last = [...days].sort().at(-1)!;
  const changes = await queryRows<{ day: string; change: number }>(
    tx,
    sql`select to_char(day, 'YYYY-MM-DD') as day, sum(case when n > 0 and n - d <= 0 then 1 when n <= 0 and n - d > 0 then -1 else 0 end)::int as change
        from (select day, d, sum(d) over (partition by customer_id order by day) as n
              from (select customer_id, day, sum(case when kind = 'churn' then -1 else 1 end) as d from mrr_movements
                    where livemode = ${livemode} and day < ${last}::date and kind in ('new', 'reactivation', 'churn') group by customer_id, day) by_day) running
        group by day`,
  );
  return new Map(days.map((d) => [d, changes.reduce((n, c) => (c.day < d ? n + c.change : n), 0)]));
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
    sql`select r.i::int as i, t.trials_ended, t.trials_converted, p.payments_succeeded, p.payments_failed, f.invoices_failed, f.invoices_recovered
    from unnest(${sql.param(ranges.map((r) => iso(r.from)))}::timestamptz[], ${sql.param(ranges.map((r) => iso(r.to)))}::timestamptz[]) with ordinality as r(f, t, i),
    lateral (select count(*)::int as trials_ended, (count(*) filter (where h.to_status in ('active', 'past_due')))::int as trials_converted
          from subscription_status_history h join subscriptions s on s.id = h.subscription_id
          where s.livemode = ${livemode} and h.from_status = 'trialing' and h.to_status <> 'trialing' and h.at >= r.f and h.at < r.t) t,
    lateral (select (count(*) filter (where p.status = 'succeeded'))::int as payments_succeeded, (count(*) filter (where p.status = 'failed'))::int as payments_failed
          from payments p where p.livemode = ${livemode} and p.created_at >= r.f and p.created_at < r.t) p,
    lateral (select count(*)::int as invoices_failed, (count(*) filter (where i.paid_at < r.t))::int as invoices_recovered
          from invoices i where i.livemode = ${livemode}
            and i.id in (select p.invoice_id from payments p where p.status = 'failed' and p.created_at >= r.f and p.created_at < r.t)) f
    order by r.i`,
  );
  return rows.map(({ i: _, ...counts }) => counts);
}
