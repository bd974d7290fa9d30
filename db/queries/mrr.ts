import { sql, type SQL } from "drizzle-orm";
import { arrayLiteral } from "@/db/array-literal";
import { inTextArray, queryRows, type Executor } from "@/db/client";
import { MRR_STATUSES } from "@/lib/analytics/mrr";

/**
 * The set statement behind MRR movements (decision 032): lib/analytics/mrr.ts is the definition,
 * this is it over every subscription at once, for all customers or the given ones.
 *
 * - `seg`: each recurring line of an issued invoice (open, paid, uncollectible) of a subscription,
 *   licensed prices only, with its monthly rate rounded once (lineMonthlyRate);
 * - `ev`/`day_ev`: what changes on a day — a line's rate comes in on the UTC day its period starts and
 *   goes on the day it ends (a period holds a day's last instant exactly from its start's day to the
 *   day before its end's), and the day's last status change;
 * - `run`/`val`: running sums and the status carried forward give its MRR at each such day's last
 *   instant (subscriptionMrrOn), window functions only, so the cost grows as n log n;
 * - the customer's MRR per currency is the running sum of its subscriptions' changes, and each day
 *   it moved is classified (classifyMovement).
 */
function movementsSelect(customerIds: readonly string[] | null): SQL {
  const only = (column: SQL) => (customerIds ? sql`and ${inTextArray(column, customerIds)}` : sql``);
  const counted = sql.raw(MRR_STATUSES.map((s) => `'${s}'`).join(", "));
  return sql`
    with seg as (
      select i.subscription_id, l.period_start as s,
        -- The latest period runs on until the status ends it: a renewal not yet billed is no churn.
        case when l.period_end = max(l.period_end) over (partition by i.subscription_id) then null else l.period_end end as e,
        case
          when l.amount = 0 then (case when l.proration then null else 0 end)
          when l.proration and l.unit_amount is null then null
          else round(
            (case when l.proration then sign(l.amount) * l.quantity * l.unit_amount else l.amount end)::numeric
            * (l.amount - l.discount_amount - coalesce((select sum((t ->> 'amount')::bigint) from jsonb_array_elements(l.tax_amounts) t where (t ->> 'inclusive')::boolean), 0))
            * (case pl.interval when 'week' then 52 when 'day' then 365 else 1 end)
            / (l.amount::numeric * (case pl.interval when 'month' then 1 else 12 end) * pl.interval_count))::bigint
        end as rate
      from invoices i
      join invoice_lines l on l.invoice_id = i.id
      join prices p on p.id = l.price_id and p.usage_type = 'licensed'
      join plans pl on pl.id = p.plan_id
      where i.subscription_id is not null and i.status in ('open', 'paid', 'uncollectible')
        and l.period_start is not null and l.period_end is not null ${only(sql`i.customer_id`)}
    ),
    subs as (
      select s.id, s.customer_id, s.currency, s.livemode from subscriptions s where true ${only(sql`s.customer_id`)}
    ),
    ev as (
      select subscription_id, (s at time zone 'UTC')::date as day, rate as line_delta, null::text as status, null::timestamptz as at, null::bigint as hid from seg where rate is not null
      union all
      select subscription_id, (e at time zone 'UTC')::date, -rate, null, null, null from seg where rate is not null and e is not null
      union all
      select h.subscription_id, (h.at at time zone 'UTC')::date, 0, h.to_status, h.at, h.id from subscription_status_history h join subs on subs.id = h.subscription_id
    ),
    day_ev as (
      select subscription_id, day, sum(line_delta) as line_delta,
        (array_agg(status order by at desc, hid desc) filter (where status is not null))[1] as status
      from ev group by subscription_id, day
    ),
    run as (
      select subscription_id, day, status,
        sum(line_delta) over w as lines,
        count(status) over w as grp
      from day_ev
      window w as (partition by subscription_id order by day rows between unbounded preceding and current row)
    ),
    val as (
      select subscription_id, day,
        case when first_value(status) over (partition by subscription_id, grp order by day) in (${counted}) then greatest(0, lines) else 0 end as mrr
      from run
    ),
    sub_delta as (
      select v.subscription_id, v.day, v.mrr - coalesce(lag(v.mrr) over (partition by v.subscription_id order by v.day), 0) as delta from val v
    ),
    cust_delta as (
      select subs.customer_id, subs.currency, bool_or(subs.livemode) as livemode, d.day, sum(d.delta)::bigint as delta
      from sub_delta d join subs on subs.id = d.subscription_id
      group by subs.customer_id, subs.currency, d.day
      having sum(d.delta) <> 0
    ),
    cust_run as (
      select c.*, (sum(c.delta) over (partition by c.customer_id, c.currency order by c.day rows between unbounded preceding and current row))::bigint as mrr
      from cust_delta c
    ),
    cust as (
      select r.*, coalesce(max(r.mrr) over (partition by r.customer_id, r.currency order by r.day rows between unbounded preceding and 1 preceding), 0) as peak_before
      from cust_run r
    )
    select customer_id, currency, day, mrr, delta, livemode,
      case
        when mrr - delta <= 0 then (case when peak_before > 0 then 'reactivation' else 'new' end)
        when mrr <= 0 then 'churn'
        when delta > 0 then 'expansion'
        else 'contraction'
      end as kind
    from cust`;
}

/** Replace the stored movements of the given customers (all when null) with the ones derived now. */
export async function writeMrrMovements(tx: Executor, customerIds: readonly string[] | null): Promise<number> {
  if (customerIds && customerIds.length === 0) return 0;
  if (customerIds) {
    // One per customer, in a fixed order so two refreshes sharing customers never deadlock.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('mrr:' || id)) from (select unnest(${arrayLiteral([...customerIds].sort())}::text[]) as id order by 1) ids`);
    await tx.execute(sql`delete from mrr_movements where ${inTextArray(sql`customer_id`, customerIds)}`);
  } else {
    await tx.execute(sql`lock table mrr_movements in exclusive mode`);
    await tx.execute(sql`delete from mrr_movements`);
  }
  const [row] = await queryRows<{ n: number }>(tx, sql`with ins as (insert into mrr_movements (customer_id, currency, day, mrr, delta, livemode, kind) ${movementsSelect(customerIds)} returning 1) select count(*)::int as n from ins`);
  return Number(row?.n ?? 0);
}
