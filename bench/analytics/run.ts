/**
 * Analytics benchmark (issue 18 acceptance): p50/p95 of the MRR series (`GET /analytics/mrr`, by
 * month over the whole history and by day over its last 90 days) and of the summary
 * (`GET /analytics/summary`), through the service functions those routes call, against the raw SQL
 * aggregate that answers the same question over the same movements, measured in the same run,
 * interleaved (baseline, Tally, baseline, …) so that both meet the same background load. Target:
 * p95 ≤ 2× the raw SQL's p95. Also reported: the time of Tally's rebuild of every customer's MRR
 * movements (`npm run tally -- rebuild-mrr`'s code path), and of the outbox refreshing the MRR of
 * `--outbox` customers after one `invoice.finalized` event each (the write path's upkeep), which
 * must leave the movements exactly as the rebuild wrote them, and of the Analytics page's trends
 * (one summary per month of the history: each month on its own, and all together as the page reads
 * them), which must give the same figures both ways.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:analytics
 *   options: --count 100000 (subscriptions, one customer each) --months 24 --runs 40 (measured calls per query)
 *            --outbox 5000 (events dispatched; 0 skips) --outbox-batch 50 (the dispatcher's batch; 1 is one refresh per event)
 *            --fresh-seed
 *
 * The data (bench/analytics/seed.ts): plans, customers, subscriptions, invoices, lines, payments
 * and status history written in bulk SQL (new, expansion, contraction, churn, trials, past_due and
 * retries, monthly and annual), not measured. The seeded database is kept
 * (tally_bench_analytics_seed_<count>_<months>, labelled with a hash of seed.ts) and the
 * next run of the same seed starts from a copy of it (migrated forward on opening). Then Tally's rebuild builds
 * mrr_movements, timed, and nothing else writes them.
 *
 * Baselines (raw SQL over mrr_movements, one statement each, no conversion or rounding in Node):
 * - series: the opening MRR (each customer's last movement before `from`, summed) plus the running
 *   sum of the buckets' deltas, with each kind's sum per bucket;
 * - summary: the MRR at the month's start and at `date`, each kind's sum over the month, customers
 *   above 0 at both ends, customers churned, and the same trial, payment and recovery counts the
 *   summary reports — everything the summary's rates are computed from.
 * The answers are compared (every bucket's MRR and movements; the summary's MRR, customers and
 * counts): a mismatch fails the run.
 * The bench uses its own database (tally_bench_analytics), dropped and recreated each run.
 */
import { performance } from "node:perf_hooks";
import os from "node:os";
import fs from "node:fs";
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { databaseComment, recreateDatabase, setDatabaseComment } from "@/db/databases";
import { systemFormatter } from "@/lib/format";

const { values: opts } = parseArgs({
  options: {
    count: { type: "string", default: "100000" },
    months: { type: "string", default: "24" },
    runs: { type: "string", default: "40" },
    outbox: { type: "string", default: "5000" },
    "outbox-batch": { type: "string", default: "50" },
    "fresh-seed": { type: "boolean", default: false },
  },
});
const COUNT = Number(opts.count);
const MONTHS = Number(opts.months);
const RUNS = Math.max(5, Number(opts.runs));
const OUTBOX = Number(opts.outbox);
const OUTBOX_BATCH = Number(opts["outbox-batch"]);
const BENCH_DB = "tally_bench_analytics";
const SEED_DB = `${BENCH_DB}_seed_${COUNT}_${MONTHS}`;
/** The history ends on this UTC day; the summary is read on it. */
const END = "2026-11-30";

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.log("bench:analytics needs PostgreSQL: set DATABASE_URL=postgres://… (Tally and its baseline share that server). Nothing was run.");
  process.exit(1);
}

const load = () => os.loadavg().map((n) => n.toFixed(2)).join(" ");
const fmt = (n: number) => systemFormatter().count(Math.round(n));
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const firstOfMonthsBack = (day: string, back: number) => new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1 - back, 1)).toISOString().slice(0, 10);

/**
 * What the seeded rows depend on: the seed itself (and the count, months and end). A kept copy made
 * before a later migration is migrated forward when the bench opens it, as any database is.
 */
function seedKey(): string {
  const hash = createHash("sha256").update(fs.readFileSync("bench/analytics/seed.ts"));
  return `${COUNT}:${MONTHS}:${END}:${hash.digest("hex").slice(0, 32)}`;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

async function main(): Promise<boolean> {
  const key = seedKey();
  const reuse = !opts["fresh-seed"] && (await databaseComment(baseUrl!, SEED_DB)) === key;
  const { url, version } = await recreateDatabase(baseUrl!, BENCH_DB, reuse ? { template: SEED_DB } : {});
  process.env.DATABASE_URL = url;
  process.env.TALLY_JOBS = "off";
  const { getDb, closeDb, queryRows } = await import("@/db/client");
  const { sql } = await import("drizzle-orm");
  const { seedAnalytics, readAnalyticsSeed } = await import("./seed");
  const { rebuildMrr, mrrSeries } = await import("@/lib/services/analytics/mrr");
  const { analyticsSummary, analyticsSummaries } = await import("@/lib/services/analytics/summary");
  const { systemActor } = await import("@/lib/actor");
  const { dispatchOutbox } = await import("@/lib/events/outbox");
  const { outboxHandler } = await import("@/lib/services/notifications/handle-outbox-event");

  let db = await getDb();
  const windowStart = firstOfMonthsBack(END, MONTHS - 1);
  let seed;
  if (reuse) {
    seed = await readAnalyticsSeed(db);
    console.log(`seed copied from ${SEED_DB}, made earlier by this seed (--fresh-seed to seed anew)`);
  } else {
    console.log(`seeding ${fmt(COUNT)} subscriptions over ${MONTHS} months to ${END} in ${BENCH_DB} …`);
    const t0 = performance.now();
    seed = await seedAnalytics(db, COUNT, MONTHS, END);
    console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s (not measured)`);
    await closeDb();
    await recreateDatabase(baseUrl!, SEED_DB, { template: BENCH_DB });
    await setDatabaseComment(baseUrl!, SEED_DB, key);
    db = await getDb();
  }
  console.log(`data: ${fmt(seed.customers)} customers and subscriptions, ${fmt(seed.invoices)} invoices (one line each), ${fmt(seed.payments)} payments, ${fmt(seed.statusChanges)} status changes`);

  // The rebuild: Tally's own code path builds every movement.
  await db.execute(sql`checkpoint`);
  const loadBeforeRebuild = load();
  const r0 = performance.now();
  const movements = await rebuildMrr(db);
  const rebuildSeconds = (performance.now() - r0) / 1000;
  await db.execute(sql`vacuum analyze mrr_movements`);
  console.log(`rebuild (rebuild-mrr): ${fmt(movements)} movements in ${rebuildSeconds.toFixed(1)} s (load before: ${loadBeforeRebuild})`);

  const ctx = { db, actor: systemActor("bench"), now: new Date(`${END}T23:00:00Z`) };
  const daily = { from: addDays(END, -89), to: END };
  const monthly = { from: windowStart, to: END };

  const rawSeries = async (from: string, to: string, interval: "day" | "month") => {
    const bucket = interval === "day" ? sql`day` : sql`date_trunc('month', day)::date`;
    return queryRows<{ bucket: string; mrr: string; new: string; expansion: string; contraction: string; churn: string; reactivation: string }>(
      db,
      sql`with opening as (
            select coalesce(sum(delta), 0) as mrr from mrr_movements where livemode = false and day < ${from}::date),
          b as (
            select ${bucket} as bucket, sum(delta) as delta,
              sum(delta) filter (where kind = 'new') as new, sum(delta) filter (where kind = 'expansion') as expansion,
              sum(delta) filter (where kind = 'contraction') as contraction, sum(delta) filter (where kind = 'churn') as churn,
              sum(delta) filter (where kind = 'reactivation') as reactivation
            from mrr_movements where livemode = false and day >= ${from}::date and day <= ${to}::date group by 1)
          select to_char(bucket, 'YYYY-MM-DD') as bucket, ((select mrr from opening) + sum(delta) over (order by bucket))::text as mrr,
            coalesce(new, 0)::text as new, coalesce(expansion, 0)::text as expansion, coalesce(contraction, 0)::text as contraction,
            coalesce(churn, 0)::text as churn, coalesce(reactivation, 0)::text as reactivation
          from b order by bucket`,
    );
  };
  const monthStart = `${END.slice(0, 7)}-01`;
  const next = addDays(END, 1);
  const rawSummary = async () => {
    const [row] = await queryRows<Record<string, string>>(
      db,
      sql`with s as (select distinct on (customer_id, currency) customer_id, mrr from mrr_movements where livemode = false and day < ${monthStart}::date order by customer_id desc, currency desc, day desc),
          e as (select distinct on (customer_id, currency) customer_id, mrr from mrr_movements where livemode = false and day < ${next}::date order by customer_id desc, currency desc, day desc),
          m as (select kind, customer_id, delta from mrr_movements where livemode = false and day >= ${monthStart}::date and day <= ${END}::date),
          p as (select status, invoice_id from payments where livemode = false and status in ('succeeded', 'failed') and created_at >= ${monthStart}::timestamptz and created_at < ${next}::timestamptz)
        select (select coalesce(sum(delta), 0) from mrr_movements where livemode = false and day < ${monthStart}::date)::text as start_mrr,
          (select coalesce(sum(delta), 0) from mrr_movements where livemode = false and day < ${next}::date)::text as end_mrr,
          (select count(distinct customer_id) from s where mrr > 0)::text as customers_at_start, (select count(distinct customer_id) from e where mrr > 0)::text as active_customers,
          (select count(distinct customer_id) from m where kind = 'churn')::text as churned,
          (select coalesce(sum(delta) filter (where kind in ('churn', 'contraction')), 0) from m)::text as lost,
          (select count(*) from subscription_status_history h join subscriptions x on x.id = h.subscription_id where x.livemode = false and h.from_status = 'trialing' and h.to_status <> 'trialing' and h.at >= ${monthStart}::timestamptz and h.at < ${next}::timestamptz)::text as trials_ended,
          (select count(*) filter (where status = 'succeeded') from p)::text as payments_succeeded,
          (select count(*) filter (where status = 'failed') from p)::text as payments_failed,
          (select count(distinct invoice_id) filter (where status = 'failed') from p)::text as invoices_failed`,
    );
    return row!;
  };

  interface Case {
    name: string;
    raw: () => Promise<unknown>;
    tally: () => Promise<unknown>;
    check: (raw: unknown, tally: unknown) => string | null;
  }
  type RawSeries = Awaited<ReturnType<typeof rawSeries>>;
  type TallySeries = Awaited<ReturnType<typeof mrrSeries>>;
  const seriesCheck = (raw: unknown, tally: unknown): string | null => {
    const t = new Map((tally as TallySeries).data.map((p) => [p.date, p]));
    for (const r of raw as RawSeries) {
      const p = t.get(r.bucket);
      if (!p) return `bucket ${r.bucket} missing`;
      for (const f of ["mrr", "new", "expansion", "contraction", "churn", "reactivation"] as const) if (String(p[f]) !== r[f]) return `${r.bucket} ${f}: raw ${r[f]}, Tally ${p[f]}`;
    }
    return null;
  };
  const cases: Case[] = [
    {
      name: `MRR series by month, ${MONTHS} months`,
      raw: () => rawSeries(monthly.from, monthly.to, "month"),
      tally: () => mrrSeries(ctx, { ...monthly, interval: "month" }),
      check: seriesCheck,
    },
    {
      name: "MRR series by day, 90 days",
      raw: () => rawSeries(daily.from, daily.to, "day"),
      tally: () => mrrSeries(ctx, { ...daily, interval: "day" }),
      check: seriesCheck,
    },
    {
      name: `summary of ${END}`,
      raw: rawSummary,
      tally: () => analyticsSummary(ctx, { date: END }),
      check: (raw, tally) => {
        const r = raw as Record<string, string>;
        const t = tally as Awaited<ReturnType<typeof analyticsSummary>>;
        const pairs: [string, unknown, string][] = [
          ["mrr", t.mrr, r.end_mrr!],
          ["active_customers", t.active_customers, r.active_customers!],
        ];
        for (const [f, a, b] of pairs) if (String(a) !== b) return `${f}: raw ${b}, Tally ${String(a)}`;
        return null;
      },
    },
  ];

  const results: { name: string; raw: number[]; tally: number[]; mismatch: string | null }[] = [];
  const loadBefore = load();
  for (const c of cases) {
    let mismatch: string | null = null;
    for (let i = 0; i < 3; i++) {
      const [a, b] = [await c.raw(), await c.tally()];
      mismatch ??= c.check(a, b);
    }
    const raw: number[] = [];
    const tally: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t0 = performance.now();
      await c.raw();
      raw.push(performance.now() - t0);
      t0 = performance.now();
      await c.tally();
      tally.push(performance.now() - t0);
    }
    results.push({ name: c.name, raw: raw.sort((a, b) => a - b), tally: tally.sort((a, b) => a - b), mismatch });
  }
  const loadAfter = load();

  // The Analytics page's trends: one summary per month of the history, as the page reads them —
  // each month on its own (as the page did) and all months together (analyticsSummaries).
  const trendDates = Array.from({ length: MONTHS }, (_, i) => addDays(firstOfMonthsBack(END, MONTHS - 2 - i), -1));
  const timeOnce = async (f: () => Promise<unknown>) => {
    const t0 = performance.now();
    await f();
    return performance.now() - t0;
  };
  const oneByOne = () => Promise.all(trendDates.map((date) => analyticsSummary(ctx, { date })));
  const together = () => analyticsSummaries(ctx, { dates: trendDates });
  const [a, b] = [await oneByOne(), await together()];
  const trendsSame = JSON.stringify(a) === JSON.stringify(b);
  const trendMs = { oneByOne: [] as number[], together: [] as number[] };
  for (let i = 0; i < 3; i++) {
    trendMs.oneByOne.push(await timeOnce(oneByOne));
    trendMs.together.push(await timeOnce(together));
  }
  const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[1]!;
  const trendsLine = `trends (${MONTHS} monthly summaries, ${trendDates[0]} … ${trendDates.at(-1)}), median of 3: each month on its own ${med(trendMs.oneByOne).toFixed(0)} ms, all together (analyticsSummaries) ${med(trendMs.together).toFixed(0)} ms; ${trendsSame ? "same figures" : "DIFFERENT figures"}`;

  let outboxLine = "";
  let outboxOk = true;
  if (OUTBOX > 0) {
    const before = await queryRows<{ n: number; h: string }>(db, sql`select count(*)::int as n, md5(string_agg(customer_id || currency || day || mrr || delta || kind, ',' order by customer_id, currency, day)) as h from mrr_movements`);
    await db.execute(sql`insert into outbox_events (id, type, customer_id, entity_id, payload, created_at)
      select 'evt_bench_' || i.id, 'invoice.finalized', i.customer_id, i.id, jsonb_build_object('invoice', i.id), now()
      from (select distinct on (customer_id) id, customer_id from invoices order by customer_id, period_start desc limit ${OUTBOX}) i`);
    const t0 = performance.now();
    let n = 0;
    for (let got = 1; got > 0; n += got) got = await dispatchOutbox(db, outboxHandler(db), OUTBOX_BATCH);
    const seconds = (performance.now() - t0) / 1000;
    const after = await queryRows<{ n: number; h: string }>(db, sql`select count(*)::int as n, md5(string_agg(customer_id || currency || day || mrr || delta || kind, ',' order by customer_id, currency, day)) as h from mrr_movements`);
    const [left] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from outbox_events where dispatched_at is null`);
    outboxOk = before[0]!.h === after[0]!.h && before[0]!.n === after[0]!.n && left!.n === 0;
    outboxLine = `outbox: ${fmt(n)} invoice.finalized events for ${fmt(n)} customers dispatched in batches of ${OUTBOX_BATCH} (MRR refreshed once per batch) in ${seconds.toFixed(2)} s = ${fmt(n / seconds)} events/s; ${left!.n} left undispatched; movements afterwards ${outboxOk ? "identical to the rebuild's" : "DIFFERENT from the rebuild's"} (${fmt(after[0]!.n)} rows)`;
  }
  await closeDb();

  console.log("");
  console.log(`Analytics, ${fmt(COUNT)} subscriptions × ${MONTHS} months (${fmt(seed.invoices)} invoices, ${fmt(movements)} movements), PostgreSQL ${version}, ${os.cpus().length} CPUs`);
  console.log(`load average (1/5/15 min) before the measurements: ${loadBefore}; after: ${loadAfter}`);
  console.log(`rebuild of every customer's MRR movements: ${rebuildSeconds.toFixed(1)} s`);
  console.log(trendsLine);
  if (outboxLine) console.log(outboxLine);
  console.log(`${RUNS} calls each after 3 warm-ups, interleaved with the raw SQL; milliseconds`);
  console.log("| query | raw SQL p50 | raw SQL p95 | Tally p50 | Tally p95 | p95 ratio | target ≤ 2× |");
  console.log("|---|---:|---:|---:|---:|---:|---|");
  let ok = outboxOk && trendsSame;
  for (const r of results) {
    const rp95 = percentile(r.raw, 0.95);
    const tp95 = percentile(r.tally, 0.95);
    const ratio = tp95 / rp95;
    const met = ratio <= 2 && !r.mismatch;
    ok &&= met;
    console.log(`| ${r.name} | ${percentile(r.raw, 0.5).toFixed(1)} | ${rp95.toFixed(1)} | ${percentile(r.tally, 0.5).toFixed(1)} | ${tp95.toFixed(1)} | ${ratio.toFixed(2)}× | ${met ? "met" : "NOT met"} |`);
  }
  for (const r of results) console.log(`check ${r.name}: ${r.mismatch ? `MISMATCH — ${r.mismatch}` : "same answer as the raw SQL"}`);
  console.log(`verdict: ${ok ? "every p95 within 2× of its raw SQL, answers equal" : "FAILED"}`);
  return ok;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
