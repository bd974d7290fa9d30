/**
 * Billing-run benchmark: invoices/s of a billing run over N due subscriptions
 * (sandbox gateway), next to a raw-limit baseline measured in the same run — batched multi-row
 * INSERTs of N invoice-shaped rows plus one invoice_lines row each into scratch copies of those
 * tables on the same PostgreSQL — and the ratio of Tally's invoice rows/s to the baseline's rows/s
 * (target ≥ 40%, and ≥ 4,000 invoices/s at 100k; first set at ≥ 25% and ≥ 1,000/s). Rows counted on both sides: invoices + invoice
 * lines (one line per renewal here), nothing else — Tally also writes, per renewal, the invoice's
 * finalization, the subscription's new period, a payment (inserted, then settled), the gateway's
 * charge record, three audit entries and two events, none of which is counted.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:billing-run -- --count 10000
 *   options: --count 10000 --path batch|per-subscription --runs 1 --run-workers 3 --run-batch 1000 --charge-concurrency 8
 *            --workers 8 (per-subscription path) --batch 1000 (baseline rows per INSERT)
 *            --cpu-profile run.cpuprofile (a V8 CPU profile of this process during the timed run)
 *            --repeat 3 (measurements, each on a fresh copy of the seeded database; the median is the figure)
 *            --fresh-seed (seed anew instead of copying the kept seed)
 *            --statements (PostgreSQL's time per statement during the run, from pg_stat_statements; the
 *              server must preload it: shared_preload_libraries = 'pg_stat_statements')
 *
 * Seeding (not measured): N customers with a sandbox card (`pm_card_visa:<random>`) and a monthly
 * subscription created 15 Sep 2026, so one renewal is due 15 Oct; the run happens on 20 Oct.
 * Seeding clones one service-created customer in bulk SQL (seed.ts): about 20 s for 10k and two to
 * four minutes for 100k on this shared machine. The seeded database is kept (tally_bench_billing_seed_N,
 * labelled with a hash of drizzle/, db/, lib/ and seed.ts) and the next run of the same code at the
 * same N starts from a file copy of it instead; `--fresh-seed` seeds anew.
 *
 * The run, `--path batch` (the default; what the billing job runs): runDueSubscriptions with
 * `--run-workers` workers (`--runs` such calls at once, as several runner processes would), in this
 * one Node process sharing the connection pool; each worker claims batches of `--run-batch` due
 * subscriptions with FOR UPDATE SKIP LOCKED, so they share the work without overlapping; each
 * batch is written in one transaction and then charged through the sandbox gateway
 * (`--charge-concurrency` calls in flight).
 * `--path per-subscription`: the previous path, for comparison — the due list split into
 * `--workers` disjoint shards, each worker running processDueSubscription over its shard.
 * After the timed run, one runDueSubscriptions(db, now) must find nothing left to do.
 *
 * The baseline runs twice, right before the run and right after it (each after a CHECKPOINT, as is
 * the run), and the ratio is taken to the mean of the two: this machine's speed drifts by a quarter
 * within minutes, and a baseline on one side only measured whichever phase it fell in.
 *
 * The machine is shared: `uptime` load averages are printed before and after, with the figures,
 * and where the CPU went during the run (the whole machine's busy time from /proc/stat, this
 * process's own from process.cpuUsage: the difference is PostgreSQL and anything else running).
 * The bench uses its own database (tally_bench_billing), dropped and recreated each run.
 */
import { performance } from "node:perf_hooks";
import os from "node:os";
import { parseArgs } from "node:util";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import inspector from "node:inspector/promises";
import pg from "pg";
import { databaseComment, recreateDatabase, setDatabaseComment } from "@/db/databases";
import { machineCpu, median } from "../support/open-loop";

const { values: opts } = parseArgs({
  options: {
    count: { type: "string", default: "10000" },
    path: { type: "string", default: "batch" },
    runs: { type: "string", default: "1" },
    "run-workers": { type: "string", default: "3" },
    "run-batch": { type: "string", default: "1000" },
    "charge-concurrency": { type: "string", default: "8" },
    workers: { type: "string", default: "8" },
    batch: { type: "string", default: "1000" },
    "cpu-profile": { type: "string" },
    "fresh-seed": { type: "boolean", default: false },
    statements: { type: "boolean", default: false },
    repeat: { type: "string", default: "3" },
  },
});
/** Issue 15's targets: invoice rows/s against the baseline's, and invoices/s at 100k. */
const RATIO_TARGET = 0.4;
const INVOICES_PER_SECOND_TARGET = 4_000;
const COUNT = Number(opts.count);
const PATH = opts.path === "per-subscription" ? "per-subscription" : "batch";
const RUNS = Number(opts.runs);
const RUN_WORKERS = Number(opts["run-workers"]);
const RUN_BATCH = Number(opts["run-batch"]);
const CHARGE_CONCURRENCY = Number(opts["charge-concurrency"]);
const WORKERS = Number(opts.workers);
const BATCH = Number(opts.batch);
const CPU_PROFILE = opts["cpu-profile"];
const FRESH_SEED = opts["fresh-seed"];
const STATEMENTS = opts.statements;
const REPEAT = Math.max(1, Number(opts.repeat));
const load = () => execFileSync("uptime", { encoding: "utf8" }).trim().replace(/^.*load average/, "load average");
const BENCH_DB = "tally_bench_billing";
/** A copy of the seeded database, reused by the next run of the same code at the same count. */
const SEED_DB = `${BENCH_DB}_seed_${opts.count}`;

async function startCpuProfile(): Promise<{ stop: (file: string) => Promise<void> }> {
  const session = new inspector.Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    stop: async (file) => {
      const { profile } = await session.post("Profiler.stop");
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
const CREATED = new Date("2026-09-15T00:00:00Z");
const NOW = new Date("2026-10-20T00:00:00Z");
const PERIOD_START = new Date("2026-10-15T00:00:00Z");
const PERIOD_END = new Date("2026-11-15T00:00:00Z");

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.log("bench:billing-run needs PostgreSQL: set DATABASE_URL=postgres://… (the run and its baseline share that server). Nothing was run.");
  process.exit(1);
}

const INVOICE_COLUMNS = [
  "id", "number", "customer_id", "subscription_id", "status", "billing_reason", "currency", "period_start", "period_end",
  "subtotal", "total", "amount_due", "amount_paid", "amount_remaining", "collection_method", "finalized_at", "paid_at", "hosted_token",
];
const LINE_COLUMNS = ["id", "invoice_id", "position", "description", "amount", "quantity", "unit_amount", "period_start", "period_end", "price_id", "tax_amounts"];

function valuesClause(rows: number, columns: number): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) out.push(`(${Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}`).join(", ")})`);
  return out.join(", ");
}

/**
 * The raw limit: batched multi-row INSERTs (BATCH rows per statement, one transaction per batch of
 * invoices + their lines) over one connection, into copies of invoices and invoice_lines with their
 * indexes (`like … including all`; no foreign keys). Returns rows/s over invoices + lines.
 */
async function baseline(url: string, seed: { customerIds: string[]; subscriptionIds: string[]; priceId: string; unitAmount: number }): Promise<{ seconds: number; rows: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("drop table if exists bench_invoices, bench_invoice_lines");
  await client.query("create table bench_invoices (like invoices including all)");
  await client.query("create table bench_invoice_lines (like invoice_lines including all)");
  await client.query("checkpoint");
  const n = seed.subscriptionIds.length;
  const tag = Math.random().toString(36).slice(2, 8);
  const start = performance.now();
  for (let from = 0; from < n; from += BATCH) {
    const size = Math.min(BATCH, n - from);
    const inv: unknown[] = [];
    const lines: unknown[] = [];
    for (let k = 0; k < size; k++) {
      const i = from + k;
      const id = `in_bench_${tag}_${i}`;
      const now = new Date();
      inv.push(id, `BENCH-${tag}-${i}`, seed.customerIds[i], seed.subscriptionIds[i], "paid", "subscription_cycle", "aud", PERIOD_START, PERIOD_END,
        seed.unitAmount, seed.unitAmount, seed.unitAmount, seed.unitAmount, 0, "charge_automatically", now, now, `hosted_${tag}_${i}`);
      lines.push(`il_bench_${tag}_${i}`, id, 0, "1 × Bench monthly (15 Oct 2026 – 15 Nov 2026)", seed.unitAmount, 1, seed.unitAmount, PERIOD_START, PERIOD_END, seed.priceId,
        JSON.stringify([{ amount: 264, rate: "10", jurisdiction: "AU", inclusive: true }]));
    }
    await client.query("begin");
    await client.query(`insert into bench_invoices (${INVOICE_COLUMNS.join(", ")}) values ${valuesClause(size, INVOICE_COLUMNS.length)}`, inv);
    await client.query(`insert into bench_invoice_lines (${LINE_COLUMNS.join(", ")}) values ${valuesClause(size, LINE_COLUMNS.length)}`, lines);
    await client.query("commit");
  }
  const seconds = (performance.now() - start) / 1000;
  const [{ n: rows }] = (await client.query("select (select count(*) from bench_invoices) + (select count(*) from bench_invoice_lines) as n")).rows as [{ n: string }];
  await client.query("drop table bench_invoices, bench_invoice_lines");
  await client.end();
  return { seconds, rows: Number(rows) };
}

/**
 * pg_stat_statements from now on (reset here), or null when the server does not load it. The
 * times include waiting for locks; with several batches in flight they add up to more than the run.
 */
async function statementsSince(db: import("@/db/client").Db): Promise<{ print: () => Promise<void> } | null> {
  const { sql } = await import("drizzle-orm");
  const { queryRows } = await import("@/db/client");
  try {
    await db.execute(sql`create extension if not exists pg_stat_statements`);
    await db.execute(sql`select pg_stat_statements_reset()`);
  } catch (error) {
    console.log(`--statements: pg_stat_statements is not available (${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}); nothing will be printed`);
    return null;
  }
  return {
    print: async () => {
      const rows = await queryRows<{ ms: number; calls: number; rows: number; statement: string }>(
        db,
        sql`select round(total_exec_time)::int as ms, calls::int, rows::int, left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 110) as statement
            from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database()) order by total_exec_time desc limit 25`,
      );
      console.log("PostgreSQL during the run, by statement (total execution ms, lock waits included):");
      for (const r of rows) console.log(`${String(r.ms).padStart(7)} ms ${String(r.calls).padStart(5)} calls ${String(r.rows).padStart(7)} rows  ${r.statement}`);
    },
  };
}

/**
 * What the seeded rows depend on: the schema (drizzle/), the code that writes them (db/, lib/) and
 * the seeding itself. A copy seeded by the same code is reused (see main); any change reseeds.
 */
function seedKey(): string {
  const hash = createHash("sha256");
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  for (const file of [...walk("drizzle"), ...walk("db"), ...walk("lib"), "bench/billing-run/seed.ts"].sort()) hash.update(file).update(fs.readFileSync(file));
  return `${COUNT}:${hash.digest("hex").slice(0, 32)}`;
}

/** Whether SEED_DB holds a seed made for this count by this code (its comment is the seed key). */
async function seedCopyMatches(key: string): Promise<boolean> {
  return (await databaseComment(baseUrl!, SEED_DB)) === key;
}

/** Keep the freshly seeded database as SEED_DB (a file copy), labelled with the seed key. */
async function keepSeedCopy(key: string): Promise<void> {
  await recreateDatabase(baseUrl!, SEED_DB, { template: BENCH_DB });
  await setDatabaseComment(baseUrl!, SEED_DB, key);
}

interface Measured {
  seconds: number;
  invPerSec: number;
  rowsPerSec: number;
  baseBefore: number;
  baseAfter: number;
  baseRowsPerSec: number;
  ratio: number;
  ok: boolean;
}

async function main(): Promise<void> {
  const key = seedKey();
  const reuse = !FRESH_SEED && (await seedCopyMatches(key));
  const { url: benchUrl, version } = await recreateDatabase(baseUrl!, BENCH_DB, reuse ? { template: SEED_DB } : {});
  process.env.DATABASE_URL = benchUrl;
  process.env.DATABASE_POOL_SIZE = String(PATH === "batch" ? RUNS * RUN_WORKERS * (CHARGE_CONCURRENCY + 1) + 2 : WORKERS * 2 + 2);
  process.env.TALLY_JOBS = "off";
  delete process.env.STRIPE_SECRET_KEY;

  const { getDb, closeDb } = await import("@/db/client");
  const { readSeed, seedDueSubscriptions } = await import("./seed");

  let seed: Awaited<ReturnType<typeof readSeed>>;
  try {
    const db = await getDb();
    if (reuse) {
      seed = await readSeed(db);
      console.log(`${COUNT} customers, cards and due subscriptions copied from ${SEED_DB}, seeded earlier by this same code (--fresh-seed to seed anew)`);
    } else {
      console.log(`seeding ${COUNT} customers, cards and due subscriptions in ${BENCH_DB} …`);
      const t0 = performance.now();
      seed = await seedDueSubscriptions(db, COUNT, { createdAt: CREATED, label: "bench" });
      console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s; kept as ${SEED_DB} for the next run of this code`);
    }
  } finally {
    await closeDb();
  }
  if (!reuse) await keepSeedCopy(key);

  const results: Measured[] = [];
  for (let rep = 1; rep <= REPEAT; rep++) {
    // Every repetition starts from the same seeded database, copied afresh.
    if (rep > 1) await recreateDatabase(baseUrl!, BENCH_DB, { template: SEED_DB });
    if (REPEAT > 1) console.log(`\n— repetition ${rep} of ${REPEAT} —`);
    try {
      results.push(await measure(await getDb(), benchUrl, seed, version));
    } finally {
      await closeDb();
    }
  }
  if (REPEAT > 1) {
    console.log(`\nAll ${REPEAT} repetitions (each: a fresh copy of the seeded database, the baseline, the run, the baseline again):`);
    console.log("| repetition | seconds | invoices/s | invoice rows/s | baseline seconds (before / after) | baseline rows/s | ratio |");
    console.log("|---:|---:|---:|---:|---:|---:|---:|");
    results.forEach((r, k) =>
      console.log(`| ${k + 1} | ${r.seconds.toFixed(1)} | ${r.invPerSec.toFixed(0)} | ${r.rowsPerSec.toFixed(0)} | ${r.baseBefore.toFixed(2)} / ${r.baseAfter.toFixed(2)} | ${r.baseRowsPerSec.toFixed(0)} | ${(r.ratio * 100).toFixed(2)}% |`),
    );
  }
  const ratios = results.map((r) => r.ratio);
  const ratio = median(ratios);
  const invPerSec = median(results.map((r) => r.invPerSec));
  const spread = REPEAT > 1 ? ` (median of ${REPEAT}; lowest ${(Math.min(...ratios) * 100).toFixed(2)}%, highest ${(Math.max(...ratios) * 100).toFixed(2)}%)` : "";
  console.log("");
  console.log(
    `ratio ${(ratio * 100).toFixed(2)}%${spread} (target ≥ ${RATIO_TARGET * 100}%) — ${ratio >= RATIO_TARGET ? "within target" : "BELOW target"}; ${invPerSec.toFixed(0)} invoices/s${REPEAT > 1 ? " (median)" : ""} (target ≥ ${INVOICES_PER_SECOND_TARGET} at 100k) — ${invPerSec >= INVOICES_PER_SECOND_TARGET ? "within target" : "BELOW target"}`,
  );
  if (results.some((r) => !r.ok)) process.exitCode = 1;
}

/** One measurement on a freshly seeded database: the baseline, the run, the baseline again, and the check. */
async function measure(db: import("@/db/client").Db, benchUrl: string, seed: import("./seed").SeedResult, version: string): Promise<Measured> {
  const { invoices, invoiceLines, payments, sandboxCharges, subscriptions } = await import("@/db/schema");
  const { systemActor } = await import("@/lib/actor");
  const { runDueSubscriptions } = await import("@/lib/services/billing-run/run-due-subscriptions");
  const { processDueSubscription } = await import("@/lib/services/subscriptions/process-due");
  const { and, asc, eq, isNull, lte, sql } = await import("drizzle-orm");

  console.log(`baseline, before the run: ${COUNT} invoices + ${COUNT} lines as batched INSERTs of ${BATCH} rows …`);
  const baseBefore = await baseline(benchUrl, seed);
  // Tally: the due list (runDueSubscriptions' query).
  const due = await db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(and(lte(subscriptions.nextDueAt, NOW), isNull(subscriptions.testClockId)))
    .orderBy(asc(subscriptions.nextDueAt), asc(subscriptions.id));
  const ctx = { db, actor: systemActor("billing-run"), now: NOW };
  const failures: string[] = [];
  let steps = 0;
  let batched = 0;
  const deferred: Record<string, number> = {};
  let done = 0;
  const loadBefore = load();
  console.log(
    PATH === "batch"
      ? `Tally: billing run over ${due.length} due subscriptions, ${RUNS} run(s) × ${RUN_WORKERS} workers, batches of ${RUN_BATCH}, ${CHARGE_CONCURRENCY} charges in flight per worker …`
      : `Tally: per-subscription billing run over ${due.length} due subscriptions, ${WORKERS} concurrent workers …`,
  );
  const invoiceCount = async () => Number((await db.execute(sql`select count(*)::int as n from ${invoices} where billing_reason = 'subscription_cycle'`) as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0);
  const progress = setInterval(() => void invoiceCount().then((n) => console.log(`  … ${PATH === "batch" ? n : done} / ${due.length}`)), 10_000);
  await db.execute(sql`checkpoint`);
  const statements = STATEMENTS ? await statementsSince(db) : null;
  const profiler = CPU_PROFILE ? await startCpuProfile() : null;
  const machine0 = machineCpu();
  const process0 = process.cpuUsage();
  const start = performance.now();
  if (PATH === "batch") {
    const results = await Promise.all(Array.from({ length: RUNS }, () => runDueSubscriptions(db, NOW, COUNT + 10, { batchSize: RUN_BATCH, workers: RUN_WORKERS, chargeConcurrency: CHARGE_CONCURRENCY })));
    for (const r of results) {
      steps += r.steps;
      batched += r.batched;
      for (const [reason, n] of Object.entries(r.deferred)) deferred[reason] = (deferred[reason] ?? 0) + n;
      failures.push(...r.failed.map((f) => `${f.subscription}: ${f.error}`));
    }
  } else {
    await Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        for (let i = w; i < due.length; i += WORKERS) {
          try {
            const outcomes = await processDueSubscription(ctx, due[i]!.id);
            steps += outcomes.length;
          } catch (error) {
            failures.push(`${due[i]!.id}: ${error instanceof Error ? error.message : String(error)}`);
          }
          done++;
        }
      }),
    );
  }
  const seconds = (performance.now() - start) / 1000;
  const machine1 = machineCpu();
  const processCpu = process.cpuUsage(process0);
  if (profiler) await profiler.stop(CPU_PROFILE!);
  clearInterval(progress);
  if (statements) await statements.print();
  console.log(`baseline, after the run: the same INSERTs again …`);
  const baseAfter = await baseline(benchUrl, seed);
  // The machine's speed drifts: the baseline on both sides of the run, averaged.
  const base = { seconds: (baseBefore.seconds + baseAfter.seconds) / 2, rows: baseBefore.rows };
  const baseRowsPerSec = base.rows / base.seconds;
  const after = await runDueSubscriptions(db, NOW, COUNT + 10);

  // Check: exactly one renewal per subscription for the period, all paid, one charge each.
  const q = <T>(query: ReturnType<typeof sql>) => db.execute(query).then((r) => (r as unknown as { rows: T[] }).rows);
  const [check] = await q<{ invoices: number; subs: number; dup: number; paid: number; wrong_period: number; lines: number; pays: number; charges: number }>(sql`
    with r as (select * from ${invoices} where ${eq(invoices.billingReason, "subscription_cycle")})
    select (select count(*)::int from r) as invoices,
           (select count(distinct subscription_id)::int from r) as subs,
           (select count(*)::int from (select 1 from r group by subscription_id, period_start having count(*) > 1) d) as dup,
           (select count(*)::int from r where status = 'paid' and amount_paid = total) as paid,
           (select count(*)::int from r where period_start <> ${PERIOD_START.toISOString()}::timestamptz) as wrong_period,
           (select count(*)::int from ${invoiceLines} l join r on r.id = l.invoice_id) as lines,
           (select count(*)::int from ${payments} p join r on r.id = p.invoice_id where p.status = 'succeeded') as pays,
           (select count(*)::int from ${sandboxCharges} c join ${payments} p on p.idempotency_key = c.idempotency_key join r on r.id = p.invoice_id) as charges`);
  const c = check!;
  const tallyRows = c.invoices + c.lines;
  const invPerSec = c.invoices / seconds;
  const rowsPerSec = tallyRows / seconds;
  const ratio = rowsPerSec / baseRowsPerSec;

  console.log("");
  const loadAfter = load();
  const shape = PATH === "batch" ? `batched path, ${RUNS} run(s) × ${RUN_WORKERS} workers, batches of ${RUN_BATCH}` : `per-subscription path, ${WORKERS} workers`;
  console.log(`Billing run, ${COUNT} due subscriptions (sandbox gateway), ${shape}, PostgreSQL ${version}, ${os.cpus().length} CPUs`);
  console.log(`machine load (uptime) before the run: ${loadBefore}; after: ${loadAfter}`);
  const busy = machine1.busy - machine0.busy;
  const own = (processCpu.user + processCpu.system) / 1e6;
  console.log(
    `CPU during the run: ${busy.toFixed(1)} of ${(seconds * os.cpus().length).toFixed(1)} CPU-seconds busy — this Node process ${own.toFixed(1)}, the rest (PostgreSQL, anything else) ${(busy - own).toFixed(1)}${CPU_PROFILE ? `; CPU profile written to ${CPU_PROFILE}` : ""}`,
  );
  console.log("rows counted: invoices + invoice lines, on both sides");
  console.log(`baseline seconds: ${baseBefore.seconds.toFixed(2)} before the run, ${baseAfter.seconds.toFixed(2)} after it; their mean below`);
  console.log("| N | seconds | invoices/s | invoice rows/s | baseline seconds | baseline rows/s | ratio |");
  console.log("|---:|---:|---:|---:|---:|---:|---:|");
  console.log(`| ${COUNT} | ${seconds.toFixed(1)} | ${invPerSec.toFixed(0)} | ${rowsPerSec.toFixed(0)} | ${base.seconds.toFixed(2)} | ${baseRowsPerSec.toFixed(0)} | ${(ratio * 100).toFixed(2)}% |`);
  console.log("");
  const ok = c.invoices === due.length && c.subs === due.length && c.dup === 0 && c.paid === c.invoices && c.wrong_period === 0 && c.pays === c.invoices && c.charges === c.invoices && failures.length === 0 && after.steps === 0;
  console.log(
    `check: ${c.invoices} renewal invoices for ${c.subs} of ${due.length} subscriptions, ${c.dup} duplicated periods, ${c.wrong_period} for another period, ${c.paid} paid, ${c.lines} lines, ${c.pays} succeeded payments, ${c.charges} gateway charges; ${steps} steps (${batched} on the batched path), ${failures.length} failures; a further runDueSubscriptions found ${after.steps} steps — ${ok ? "OK" : "FAILED"}`,
  );
  const fallbacks = Object.values(deferred).reduce((a, n) => a + n, 0);
  console.log(`fallbacks (renewals the batches handed to the per-subscription path): ${fallbacks}${fallbacks ? ` — ${Object.entries(deferred).map(([reason, n]) => `${reason}: ${n}`).join("; ")}` : ""}`);
  for (const f of failures.slice(0, 5)) console.log(`  failure: ${f}`);
  return { seconds, invPerSec, rowsPerSec, baseBefore: baseBefore.seconds, baseAfter: baseAfter.seconds, baseRowsPerSec, ratio, ok };
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
