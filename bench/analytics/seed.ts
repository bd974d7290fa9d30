/**
 * Seeding for the analytics benchmark: `count` customers, each with one subscription whose
 * history spans up to `months` UTC calendar months ending on `end`, written in bulk SQL straight
 * into the tables the MRR engine and the summary read (plans, prices, customers, subscriptions,
 * invoices, invoice lines, payments, subscription status history). Nothing here is measured and
 * nothing derives MRR: the movements are built afterwards by Tally's own rebuild (run.ts).
 *
 * Each subscription, by its number g (deterministic, so every seed of a count is the same):
 * - starts on day 1 + g % 28 of a month of the window (a third in its first month, the rest spread);
 * - is annual for g % 10 = 0 (29,000 a year), else monthly (2,900 a month), AUD, tax inclusive (10%);
 * - has a 14-day trial first for g % 10 = 3 (trialing, then active at its first invoice);
 * - goes to quantity 2 from its period 2 + g % 6 for g % 4 = 2 (an expansion), back to 1 three
 *   periods later for g % 8 = 6 (a contraction);
 * - is past_due for five days from one day into its fifth period for g % 20 = 7 (a failed payment,
 *   then a retry that succeeds);
 * - is canceled at the end of its period 3 + g % 12 for g % 5 = 1 (churn), invoices stopping there.
 * Every invoice is paid (one succeeded payment; the past_due ones a failed attempt before it).
 * Invoices, lines and payments are written in time order, as billing writes them (a month's rows
 * sit together on disk, as they do in a real install).
 * Triggers are off while seeding (`session_replication_role = replica`): the invoices are written
 * finalized, as the immutability triggers would refuse lines added to them.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

export interface AnalyticsSeed {
  customers: number;
  invoices: number;
  payments: number;
  statusChanges: number;
}

export async function seedAnalytics(db: Db, count: number, months: number, end: string): Promise<AnalyticsSeed> {
  const windowStart = `${new Date(Date.UTC(Number(end.slice(0, 4)), Number(end.slice(5, 7)) - months, 1)).toISOString().slice(0, 10)}`;
  const endTs = `${end}T23:59:59Z`;
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`insert into products (id, name) values ('prod_bench_an', 'Bench analytics')`);
    await tx.execute(sql`insert into plans (id, product_id, code, name, interval, interval_count) values
      ('plan_bench_an_m', 'prod_bench_an', 'bench-monthly', 'Bench monthly', 'month', 1),
      ('plan_bench_an_y', 'prod_bench_an', 'bench-annual', 'Bench annual', 'year', 1)`);
    await tx.execute(sql`insert into prices (id, plan_id, currency, version, tax_behavior, unit_amount) values
      ('price_bench_an_m', 'plan_bench_an_m', 'aud', 1, 'inclusive', 2900),
      ('price_bench_an_y', 'plan_bench_an_y', 'aud', 1, 'inclusive', 29000)`);
    await tx.execute(sql`
      create temp table bench_subs on commit drop as
      select g,
        'cus_' || lpad(to_hex(g), 12, '0') || 'bench' as cus,
        'sub_' || lpad(to_hex(g), 12, '0') || 'bench' as sub,
        g % 10 = 0 as annual,
        g % 10 = 3 as trial,
        case when g % 5 = 1 then 3 + g % 12 end as churn_k,
        case when g % 4 = 2 then 2 + g % 6 end as exp_k,
        case when g % 8 = 6 then 5 + g % 6 end as con_k,
        g % 20 = 7 as pastdue,
        ${windowStart}::timestamptz + make_interval(months => case when g % 3 = 0 then 0 else (g * 7919) % ${months}::int end, days => g % 28, secs => g % 86400) as start
      from generate_series(1, ${count}::int) g`);
    await tx.execute(sql`alter table bench_subs add column anchor timestamptz, add column step int`);
    await tx.execute(sql`update bench_subs set anchor = start + case when trial then interval '14 days' else interval '0' end, step = case when annual then 12 else 1 end`);
    await tx.execute(sql`
      create temp table bench_inv on commit drop as
      select s.g, k, s.cus, s.sub, s.annual,
        'in_' || lpad(to_hex(s.g), 10, '0') || lpad(to_hex(k), 4, '0') || 'bench' as id,
        s.anchor + make_interval(months => k * s.step) as ps,
        s.anchor + make_interval(months => (k + 1) * s.step) as pe,
        case when s.exp_k is not null and k >= s.exp_k and not (s.con_k is not null and k >= s.con_k) then 2 else 1 end as qty,
        case when s.annual then 29000 else 2900 end as unit,
        s.pastdue and k = 4 as failed
      from bench_subs s, generate_series(0, ${months}::int) k
      where s.anchor + make_interval(months => k * s.step) <= ${endTs}::timestamptz and (s.churn_k is null or k < s.churn_k)`);
    await tx.execute(sql`
      insert into customers (id, email, name, currency, timezone, address, created_at)
      select cus, 'bench-' || g || '@example.test', 'Bench ' || g, 'aud', 'UTC', '{"country":"AU"}', start from bench_subs`);
    await tx.execute(sql`
      insert into subscriptions (id, customer_id, status, currency, billing_cycle_anchor, current_period_start, current_period_end, created_at, trial_start, trial_end, canceled_at, ended_at)
      select s.sub, s.cus, case when c.at is not null then 'canceled' when l.ps is null then 'trialing' else 'active' end, 'aud', s.anchor,
        coalesce(l.ps, s.start), coalesce(l.pe, s.anchor), s.start,
        case when s.trial then s.start end, case when s.trial then s.anchor end, c.at, c.at
      from bench_subs s
      left join (select g, max(ps) as ps, max(pe) as pe from bench_inv group by g) l on l.g = s.g
      left join lateral (select s.anchor + make_interval(months => s.churn_k * s.step) as at where s.churn_k is not null and s.anchor + make_interval(months => s.churn_k * s.step) <= ${endTs}::timestamptz) c on true`);
    await tx.execute(sql`
      insert into subscription_items (id, subscription_id, price_id, quantity, position)
      select 'si_' || lpad(to_hex(s.g), 12, '0') || 'bench', s.sub, case when s.annual then 'price_bench_an_y' else 'price_bench_an_m' end, 1, 0 from bench_subs s`);
    await tx.execute(sql`
      insert into invoices (id, number, customer_id, subscription_id, status, billing_reason, currency, period_start, period_end,
        subtotal, tax, total, amount_due, amount_paid, amount_remaining, collection_method, hosted_token, finalized_at, paid_at, created_at)
      select id, 'BENCH-' || g || '-' || k, cus, sub, 'paid', case when k = 0 then 'subscription_create' else 'subscription_cycle' end, 'aud', ps, pe,
        unit * qty, round(unit * qty / 11.0), unit * qty, unit * qty, unit * qty, 0, 'charge_automatically', 'hosted_' || id, ps,
        ps + case when failed then interval '6 days' else interval '0' end, ps
      from bench_inv order by ps`);
    await tx.execute(sql`
      insert into invoice_lines (id, invoice_id, position, description, amount, quantity, unit_amount, period_start, period_end, price_id, tax_amounts)
      select 'il_' || substr(id, 4), id, 0, qty || ' × Bench ' || case when annual then 'annual' else 'monthly' end, unit * qty, qty, unit, ps, pe,
        case when annual then 'price_bench_an_y' else 'price_bench_an_m' end,
        jsonb_build_array(jsonb_build_object('amount', round(unit * qty / 11.0), 'rate', '10', 'jurisdiction', 'AU', 'inclusive', true))
      from bench_inv order by ps`);
    await tx.execute(sql`
      insert into payments (id, invoice_id, customer_id, amount, currency, status, gateway, idempotency_key, attempt, created_at)
      select 'py_' || substr(id, 4) || '_' || a, id, cus, unit * qty, 'aud', case when a = 1 and failed then 'failed' else 'succeeded' end, 'sandbox',
        'bench:' || id || ':' || a, a, ps + case when a = 1 and failed then interval '1 day' when failed then interval '6 days' else interval '0' end
      from bench_inv, generate_series(1, 2) a where a = 1 or failed order by 10`);
    await tx.execute(sql`
      insert into subscription_status_history (subscription_id, from_status, to_status, reason, at)
      select sub, f, t, 'bench', at from (
        select sub, null as f, 'trialing' as t, start as at from bench_subs where trial
        union all select sub, case when trial then 'trialing' end, 'active', anchor from bench_subs where anchor <= ${endTs}::timestamptz
        union all select s.sub, 'active', 'past_due', i.ps + interval '1 day' from bench_subs s join bench_inv i on i.g = s.g and i.failed
        union all select s.sub, 'past_due', 'active', i.ps + interval '6 days' from bench_subs s join bench_inv i on i.g = s.g and i.failed
        union all select sub, 'active', 'canceled', canceled_at from subscriptions join bench_subs on bench_subs.sub = subscriptions.id where canceled_at is not null
      ) h order by at`);
  });
  for (const t of ["customers", "subscriptions", "subscription_items", "invoices", "invoice_lines", "payments", "subscription_status_history"]) await db.execute(sql.raw(`vacuum analyze ${t}`));
  return readAnalyticsSeed(db);
}

/** The seeded row counts, read back (also from a kept copy of a seeded database). */
export async function readAnalyticsSeed(db: Db): Promise<AnalyticsSeed> {
  const r = (await db.execute(sql`select (select count(*) from customers)::int as customers, (select count(*) from invoices)::int as invoices,
      (select count(*) from payments)::int as payments, (select count(*) from subscription_status_history)::int as status_changes`)) as unknown as {
    rows: { customers: number; invoices: number; payments: number; status_changes: number }[];
  };
  const row = r.rows[0]!;
  return { customers: row.customers, invoices: row.invoices, payments: row.payments, statusChanges: row.status_changes };
}
