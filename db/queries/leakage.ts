import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Executor } from "../client";
import { LEAKAGE_GRACE_MS, USAGE_LOOKBACK_DAYS, type LeakageItem, type LeakageRule } from "@/lib/billing/leakage/rules";

/**
 * The six revenue-leakage rules (decision 034), one set statement each over everything Tally holds.
 * Time is the caller's `now`, or a test clock's frozen time for its customers (they live in the
 * clock's time); `grace` is how late a job may normally be. Amounts are minor units of the row's
 * currency.
 */

interface Row {
  customer_id: string;
  subscription_id: string | null;
  invoice_id: string | null;
  payment_id: string | null;
  currency: string;
  amount: string | number | null;
  detail: string;
}

/** The row's customer as `c` and its test clock as `tc` (null on real time): what customerNow reads. */
const customerClock = (row: SQL) => sql`join customers c on c.id = ${row}.customer_id left join test_clocks tc on tc.id = c.test_clock_id`;
const customerNow = (now: Date) => sql`coalesce(tc.frozen_time, ${now.toISOString()}::timestamptz)`;
const graceInterval = sql`(${Math.round(LEAKAGE_GRACE_MS / 1000)} * interval '1 second')`;

/** A subscription's licensed price for one period: unit amount × quantity per item (tiered prices have no unit amount and add 0). */
const licensedAmount = (subscription: SQL) =>
  sql`coalesce((select sum(p.unit_amount * si.quantity) from subscription_items si join prices p on p.id = si.price_id
       where si.subscription_id = ${subscription} and p.usage_type = 'licensed' and p.unit_amount is not null), 0)`;

async function items(db: Executor, rule: LeakageRule, query: SQL): Promise<LeakageItem[]> {
  const rows = await queryRows<Row>(db, query);
  return rows.map((r) => ({
    rule,
    customerId: r.customer_id,
    subscriptionId: r.subscription_id,
    invoiceId: r.invoice_id,
    paymentId: r.payment_id,
    currency: r.currency,
    amount: Math.max(0, Number(r.amount ?? 0)),
    detail: r.detail,
  }));
}

/** Active or past-due subscriptions whose current period no invoice covers (once it is an hour old), or whose renewal is over an hour late. */
export function periodsNotInvoiced(db: Executor, now: Date): Promise<LeakageItem[]> {
  const at = customerNow(now);
  return items(
    db,
    "period_not_invoiced",
    sql`select s.id as subscription_id, s.customer_id, null as invoice_id, null as payment_id, s.currency, ${licensedAmount(sql`s.id`)} as amount,
          case when s.current_period_end <= ${at} - ${graceInterval}
            then 'Renewal due ' || to_char(s.current_period_end at time zone 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC has not run'
            else 'No invoice for the period from ' || to_char(s.current_period_start at time zone 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC' end as detail
        from subscriptions s
        ${customerClock(sql`s`)}
        where s.status in ('active', 'past_due')
          and (s.current_period_end <= ${at} - ${graceInterval}
            or (s.current_period_start <= ${at} - ${graceInterval}
              and not exists (select 1 from invoices i where i.subscription_id = s.id and i.status <> 'void'
                and i.period_start <= s.current_period_start and i.period_end > s.current_period_start)))
        order by s.customer_id, s.id`,
  );
}

/**
 * Open invoices an hour past due with an amount remaining, no retry planned (or one over an hour
 * late), no payment in flight, and no dunning under way (dunning runs for an automatically
 * collected invoice with a failed payment until its customer is blocked).
 */
export function pastDueWithoutCollection(db: Executor, now: Date): Promise<LeakageItem[]> {
  const at = customerNow(now);
  return items(
    db,
    "past_due_no_retry",
    sql`select i.subscription_id, i.customer_id, i.id as invoice_id, null as payment_id, i.currency, i.amount_remaining as amount,
          'Invoice ' || coalesce(i.number, i.id) || ' due ' || to_char(coalesce(i.due_date, i.finalized_at) at time zone 'UTC', 'YYYY-MM-DD') ||
            case when i.collection_method = 'send_invoice' then ', sent for payment' else ', charged automatically' end ||
            case when exists (select 1 from payments p where p.invoice_id = i.id and p.status = 'failed') then '; dunning ended' else '; no payment attempted' end as detail
        from invoices i
        ${customerClock(sql`i`)}
        where i.status = 'open' and i.amount_remaining > 0
          and coalesce(i.due_date, i.finalized_at) <= ${at} - ${graceInterval}
          and (i.next_payment_attempt_at is null or i.next_payment_attempt_at <= ${at} - ${graceInterval})
          and not exists (select 1 from payments p where p.invoice_id = i.id and p.status in ('pending', 'requires_action'))
          and not (i.collection_method = 'charge_automatically' and c.status <> 'blocked'
            and exists (select 1 from payments p where p.invoice_id = i.id and p.status = 'failed'))
        order by i.customer_id, i.id`,
  );
}

/**
 * Invoices of a subscription's current coupon beyond the coupon's duration (once: 1 invoice,
 * repeating: n) that still carry a discount, counted from the coupon's application.
 */
export function expiredCouponsDiscounting(db: Executor): Promise<LeakageItem[]> {
  return items(
    db,
    "expired_coupon_discounting",
    sql`with applied as (
          select i.id, i.number, i.customer_id, i.subscription_id, i.currency, i.discount_total, co.id as coupon_id, co.name as coupon_name,
            case co.duration when 'once' then 1 else coalesce(co.duration_in_periods, 1) end as period_limit,
            row_number() over (partition by i.subscription_id order by coalesce(i.finalized_at, i.created_at), i.id) as n
          from subscriptions s
          join coupons co on co.id = s.coupon_id and co.duration <> 'forever'
          join invoices i on i.subscription_id = s.id and i.coupon_id = s.coupon_id and i.status <> 'draft'
            and coalesce(i.finalized_at, i.created_at) >= coalesce(s.discount_start, '-infinity'::timestamptz)
        )
        select subscription_id, customer_id, id as invoice_id, null as payment_id, currency, discount_total as amount,
          'Invoice ' || coalesce(number, id) || ' discounted by ' || coupon_name || ' (' || coupon_id || '), invoice ' || n || ' of a coupon for ' || period_limit as detail
        from applied
        where n > period_limit and discount_total > 0
        order by customer_id, id`,
  );
}

/**
 * What reconciliation knows of money the gateway took that Tally did not record: open
 * `unapplied_gateway_success` items (charged, but the invoice was paid, void or the amounts
 * differed), and payments still pending an hour after they were made (the reconciler settles
 * those within minutes; one it cannot settle may have been charged).
 */
export function gatewaySuccessUnrecorded(db: Executor, now: Date): Promise<LeakageItem[]> {
  const at = customerNow(now);
  return items(
    db,
    "gateway_success_unrecorded",
    sql`select i.subscription_id, p.customer_id, p.invoice_id, p.id as payment_id, p.currency, p.amount,
          'Charged at the gateway (' || coalesce(p.gateway_id, 'no id') || ') but not applied: ' || r.detail as detail
        from reconciliation_items r
        join payments p on p.id = r.payment_id
        left join invoices i on i.id = p.invoice_id
        where r.status = 'open' and r.kind = 'unapplied_gateway_success'
        union all
        select i.subscription_id, p.customer_id, p.invoice_id, p.id as payment_id, p.currency, p.amount,
          'Pending at ' || p.gateway || ' since ' || to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC: reconciliation has not settled it' as detail
        from payments p
        ${customerClock(sql`p`)}
        left join invoices i on i.id = p.invoice_id
        where p.status = 'pending' and p.gateway in ('sandbox', 'stripe') and p.created_at <= ${at} - ${graceInterval}
        order by customer_id, payment_id`,
  );
}

/**
 * Metered items of a subscription with usage events in a closed billing period (one of its
 * create/cycle invoices' periods, ended over an hour ago and within the lookback) and no line of
 * the item's price for that period on any of the subscription's invoices. The amount prices count
 * and sum meters at a per-unit price; other meters and tiered prices are reported at 0.
 */
export function usageNotBilled(db: Executor, now: Date): Promise<LeakageItem[]> {
  const at = customerNow(now);
  return items(
    db,
    "usage_not_billed",
    sql`with periods as (
          select distinct i.subscription_id, i.customer_id, i.currency, i.period_start as ps, i.period_end as pe
          from invoices i
          ${customerClock(sql`i`)}
          where i.subscription_id is not null and i.billing_reason in ('subscription_create', 'subscription_cycle') and i.status <> 'void'
            and i.period_start is not null and i.period_end is not null
            and i.period_end <= ${at} - ${graceInterval} and i.period_end > ${at} - ${USAGE_LOOKBACK_DAYS} * interval '1 day'
        ),
        metered as (
          select per.*, si.price_id, p.unit_amount, p.billing_scheme, p.package_size, m.code as meter_code, m.aggregation, m.value_property,
            greatest(per.ps, coalesce(si.usage_from, per.ps)) as from_at
          from periods per
          join subscription_items si on si.subscription_id = per.subscription_id
          join prices p on p.id = si.price_id and p.usage_type = 'metered'
          join meters m on m.id = p.meter_id
        ),
        used as (
          select me.*, u.events, u.value_sum
          from metered me
          cross join lateral (
            select count(*) as events,
              sum(case when me.value_property is not null and jsonb_typeof(e.properties -> me.value_property) = 'number' then (e.properties ->> me.value_property)::numeric end) as value_sum
            from usage_events e
            where e.customer_id = me.customer_id and e.meter_code = me.meter_code and e.timestamp >= me.from_at and e.timestamp < me.pe
          ) u
          where u.events > 0
            and not exists (select 1 from invoice_lines l join invoices i on i.id = l.invoice_id
              where i.subscription_id = me.subscription_id and i.status <> 'void' and l.price_id = me.price_id and l.period_start < me.pe and l.period_end > me.from_at)
        ),
        priced as (
          select used.*, case when aggregation = 'count' then events::numeric when aggregation = 'sum' then coalesce(value_sum, 0) end as quantity from used
        )
        select subscription_id, customer_id, null as invoice_id, null as payment_id, currency,
          case when billing_scheme = 'per_unit' and unit_amount is not null and quantity is not null
            then case when package_size is not null and package_size > 0 then ceil(quantity / package_size) * unit_amount else round(quantity * unit_amount) end
            else 0 end as amount,
          events || ' event(s) of meter ' || meter_code || ' from ' || to_char(from_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') || ' to ' ||
            to_char(pe at time zone 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC, no usage line for price ' || price_id as detail
        from priced
        order by customer_id, subscription_id, from_at`,
  );
}

/** Automatically charged subscriptions (not ending) whose customer's default card stops working before the next renewal charge. */
export function cardsExpiringBeforeRenewal(db: Executor): Promise<LeakageItem[]> {
  return items(
    db,
    "card_expires_before_renewal",
    sql`select s.id as subscription_id, s.customer_id, null as invoice_id, null as payment_id, s.currency, ${licensedAmount(sql`s.id`)} as amount,
          initcap(pm.brand) || ' •••• ' || pm.last4 || ' expires ' || lpad(pm.exp_month::text, 2, '0') || '/' || pm.exp_year ||
            ', renewal ' || to_char(s.current_period_end at time zone 'UTC', 'YYYY-MM-DD') as detail
        from subscriptions s
        join customers c on c.id = s.customer_id
        join payment_methods pm on pm.id = c.default_payment_method_id and pm.detached_at is null
        where s.status in ('active', 'trialing', 'past_due') and s.collection_method = 'charge_automatically' and not s.cancel_at_period_end
          and ((make_date(pm.exp_year, pm.exp_month, 1) + interval '1 month') at time zone 'UTC') <= s.current_period_end
        order by s.customer_id, s.id`,
  );
}

/** Every rule's items, rule by rule. */
export async function findLeakage(db: Executor, now: Date): Promise<LeakageItem[]> {
  return [
    ...(await periodsNotInvoiced(db, now)),
    ...(await pastDueWithoutCollection(db, now)),
    ...(await expiredCouponsDiscounting(db)),
    ...(await gatewaySuccessUnrecorded(db, now)),
    ...(await usageNotBilled(db, now)),
    ...(await cardsExpiringBeforeRenewal(db)),
  ];
}
