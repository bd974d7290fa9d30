/**
 * Seeding for the customer-list benchmark: N customers with a realistic spread, in a handful of
 * set-based INSERT … SELECT statements (seconds for 100k; never measured).
 *
 * - Names from 60 first × 80 last names (some last names common, a few rare), 4% without a name;
 *   emails `first.lastN@domain` over free-mail and company domains, weighted.
 * - Countries weighted (US, GB, DE, AU … down to a few rare ones) with the matching currency.
 * - created_at spread over three years in id order, with bursts of customers created at the same
 *   instant (imports), so the id tiebreaker matters.
 * - Credit balance zero for most; dunning state active 96%, warning 3%, blocked 1%; 60% with an
 *   external id.
 * - Subscriptions on six plans: 90% of customers have one (active, trialing, past due, paused,
 *   unpaid, incomplete, canceled …); 10% also have an older canceled one. The current-subscription
 *   columns are filled by the database triggers, as in production.
 *
 * Deterministic: the random stream is seeded (setseed), so every run seeds the same data.
 */
import type pg from "pg";

const FIRST = [
  "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara",
  "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Chris", "Lisa", "Daniel", "Nancy", "Matthew",
  "Betty", "Anthony", "Sandra", "Mark", "Margaret", "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Ava", "Elijah",
  "Sophia", "Lucas", "Mia", "Mateo", "Isla", "Leo", "Aria", "Hugo", "Chloé", "Zoë", "Søren", "Aiko", "Hiroshi", "Priya",
  "Arjun", "Wei", "Mei", "Fatima", "Omar", "Ingrid", "Lars", "Álvaro",
];
const LAST = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
  "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
  "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres",
  "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Dubois", "Laurent", "Lefèvre", "Rossi", "Russo", "Bianchi", "Kowalski",
  "Nowak", "Svensson", "Johansson", "Tanaka", "Suzuki", "Takahashi", "Kim", "Park", "Chen", "Wang", "Singh", "Patel", "O'Brien",
  "MacDonald", "Okafor", "Quennell", "Zabriskie", "Vandersloot",
];
/** Free-mail first; the rest are companies (some rare). Weights sum to 100. */
const DOMAINS: [string, number][] = [
  ["gmail.com", 30], ["outlook.com", 12], ["yahoo.com", 8], ["icloud.com", 6], ["hotmail.com", 5], ["proton.me", 3],
  ["acme.io", 6], ["globex.com", 5], ["initech.com", 4], ["umbrella.co", 4], ["hooli.com", 4], ["stark.industries", 3],
  ["wayne.enterprises", 3], ["soylent.io", 2], ["tyrell.ai", 2], ["wonka.biz", 1.5], ["cyberdyne.net", 1.0], ["vandelay.org", 0.5],
];
/** Country, currency, weight (sum 100). */
const COUNTRIES: [string, string, number][] = [
  ["US", "usd", 34], ["GB", "gbp", 11], ["DE", "eur", 9], ["AU", "aud", 8], ["CA", "cad", 6], ["FR", "eur", 6], ["NL", "eur", 4],
  ["JP", "jpy", 3.5], ["ES", "eur", 3], ["IT", "eur", 3], ["SE", "sek", 2.5], ["NZ", "nzd", 2], ["IE", "eur", 1.5], ["BR", "usd", 1.5],
  ["IN", "usd", 1.5], ["SG", "usd", 1], ["CH", "chf", 1], ["NO", "nok", 0.6], ["PT", "eur", 0.4], ["IS", "eur", 0.1], ["MT", "eur", 0.05],
  ["LU", "eur", 0.05],
];
/** The current subscription's status, weights sum to 100 (customers without one are drawn separately). */
const STATUSES: [string, number][] = [
  ["active", 66], ["trialing", 8], ["past_due", 4], ["canceled", 13], ["paused", 3], ["unpaid", 2], ["incomplete", 2.5], ["incomplete_expired", 1.5],
];
export const BENCH_PLANS = [
  { code: "starter", name: "Starter", weight: 35 },
  { code: "growth", name: "Growth", weight: 28 },
  { code: "pro", name: "Pro", weight: 20 },
  { code: "business", name: "Business", weight: 10 },
  { code: "enterprise", name: "Enterprise", weight: 4 },
  { code: "legacy-2019", name: "Legacy 2019", weight: 3 },
];
const CURRENCIES = [...new Set(COUNTRIES.map(([, c]) => c))];

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const arr = (xs: string[]) => `array[${xs.map(lit).join(",")}]::text[]`;

/** A CASE over cumulative weights for a uniform draw `u` in [0, 100). */
function weighted<T>(items: [T, number][], u: string, render: (v: T) => string): string {
  let acc = 0;
  const whens = items.slice(0, -1).map(([v, w]) => {
    acc += w;
    return `when ${u} < ${acc} then ${render(v)}`;
  });
  return `case ${whens.join(" ")} else ${render(items[items.length - 1]![0])} end`;
}

export async function seedCustomers(client: pg.Client, count: number, now: Date): Promise<void> {
  await client.query("begin");
  await client.query("select setseed(0.4242)");
  await client.query(`insert into products (id, name) values ('prod_bench', 'Bench Cloud')`);
  for (const [i, plan] of BENCH_PLANS.entries()) {
    await client.query(
      `insert into plans (id, product_id, code, name, interval, interval_count, trial_period_days) values ($1, 'prod_bench', $2, $3, 'month', 1, 0)`,
      [`plan_bench_${plan.code}`, plan.code, plan.name],
    );
    for (const currency of CURRENCIES) {
      await client.query(`insert into prices (id, plan_id, currency, version, tax_behavior, unit_amount) values ($1, $2, $3, 1, 'exclusive', $4)`, [
        `price_bench_${plan.code}_${currency}`,
        `plan_bench_${plan.code}`,
        currency,
        currency === "jpy" ? 1000 * (i + 1) : 900 * (i + 1),
      ]);
    }
  }

  // One row of random draws per customer, then the customers from them.
  await client.query(`
    create temp table draws on commit drop as
    select g, random() * 100 as u_country, random() * 100 as u_domain, random() * 100 as u_status, random() as u_first,
           random() as u_last, random() as u_name, random() as u_balance, random() * 100 as u_dunning, random() as u_ext,
           random() as u_sub, random() * 100 as u_plan, random() as u_old, random() as u_burst
    from generate_series(1, ${count}) g`);
  const span = 3 * 365 * 86_400; // seconds
  const country = weighted(COUNTRIES.map(([c, , w]) => [c, w] as [string, number]), "d.u_country", lit);
  const currency = weighted(COUNTRIES.map(([, c, w]) => [c, w] as [string, number]), "d.u_country", lit);
  const domain = weighted(DOMAINS, "d.u_domain", lit);
  // Last names: the first ten are three times as common; the three last ones are rare.
  const lastIndex = `case when d.u_last < 0.3 then 1 + floor(d.u_last / 0.3 * 10)::int when d.u_last > 0.9995 then ${LAST.length - 2} + floor((d.u_last - 0.9995) / 0.0005 * 3)::int else 11 + floor((d.u_last - 0.3) / 0.6995 * ${LAST.length - 13})::int end`;
  await client.query(`
    insert into customers (id, email, name, currency, timezone, address, credit_balance, status, external_id, created_at)
    select c.id, c.email, c.name, c.currency, 'UTC', jsonb_build_object('country', c.country), c.balance, c.dunning, c.external_id, c.created_at
    from (
      select 'cus_bench' || lpad(d.g::text, 8, '0') as id,
             lower(translate(f.v || '.' || l.v, 'éèëüöøáÁ''', 'eeeuooaa')) || d.g || '@' || ${domain} as email,
             case when d.u_name < 0.04 then null else f.v || ' ' || l.v end as name,
             ${currency} as currency,
             ${country} as country,
             case when d.u_balance < 0.85 then 0 when d.u_balance < 0.97 then (d.u_balance * 100000)::int % 50000 else -((d.u_balance * 1000000)::int % 20000) end as balance,
             case when d.u_dunning < 96 then 'active' when d.u_dunning < 99 then 'warning' else 'blocked' end as dunning,
             case when d.u_ext < 0.6 then 'ext_' || d.g else null end as external_id,
             -- Bursts: 3% of customers share the instant of the customer before them (an import).
             timestamptz '${now.toISOString()}' - make_interval(secs => ${span} * (1 - (case when d.u_burst < 0.03 then d.g - 1 else d.g end)::float8 / ${count})) as created_at
      from draws d
      join lateral (select (${arr(FIRST)})[1 + floor(d.u_first * ${FIRST.length})::int] as v) f on true
      join lateral (select (${arr(LAST)})[${lastIndex}] as v) l on true
    ) c`);

  // Subscriptions: 90% of customers have a current one; 10% also an older canceled one.
  const status = weighted(STATUSES, "d.u_status", lit);
  const plan = weighted(
    BENCH_PLANS.map((p) => [p.code, p.weight] as [string, number]),
    "d.u_plan",
    (code) => lit(code),
  );
  await client.query(`
    create temp table bench_subs on commit drop as
    select 'sub_bench' || lpad(d.g::text, 8, '0') || k.suffix as id, c.id as customer_id, c.currency,
           case when k.suffix = 'a' then 'canceled' else ${status} end as status,
           case when k.suffix = 'a' then 'legacy-2019' else ${plan} end as plan_code,
           c.created_at + (case when k.suffix = 'a' then interval '0' else interval '1 hour' end) as created_at
    from draws d
    join customers c on c.id = 'cus_bench' || lpad(d.g::text, 8, '0')
    join lateral (select 'b' as suffix union all select 'a' where d.u_old < 0.1) k on true
    where d.u_sub < 0.9`);
  await client.query(`
    insert into subscriptions (id, customer_id, status, currency, billing_cycle_anchor, current_period_start, current_period_end, created_at,
                               canceled_at, ended_at)
    select s.id, s.customer_id, s.status, s.currency, s.created_at, s.created_at, s.created_at + interval '1 month', s.created_at,
           case when s.status = 'canceled' then s.created_at + interval '40 days' end,
           case when s.status in ('canceled', 'incomplete_expired') then s.created_at + interval '40 days' end
    from bench_subs s`);
  await client.query(`
    insert into subscription_items (id, subscription_id, price_id, quantity, position, created_at)
    select 'si_' || substr(s.id, 5), s.id, 'price_bench_' || s.plan_code || '_' || s.currency, 1, 0, s.created_at
    from bench_subs s`);
  await client.query("commit");
  // What autovacuum does after a bulk load: statistics, the visibility map, the GIN pending list merged.
  await client.query("vacuum analyze customers, subscriptions, subscription_items, plans, prices");
}
