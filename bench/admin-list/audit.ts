/**
 * Audit-log list benchmark: p50/p95 of listAuditEntries (db/queries/audit.ts, what /admin/audit
 * calls) over N entries, through drizzle and the app's connection pool. The customer-list bench
 * (run.ts) never touches audit_log; this one measures the page whose order and indexes decision 025
 * changed. Target as for the customer list: every p95 under 50 ms.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/admin-list/audit.ts
 *   options: --count 1000000 --iterations 100
 *
 * Seeding (not measured): N entries in one INSERT … SELECT, 20 s apart from 1 Jan 2026, one in
 * twenty dated 300 days ahead of when it was recorded (a test clock), a mix of entity types (api_key
 * entries one in a thousand: a rare type), 50,000 distinct entities. When the schema has no
 * `recorded_at` (before migration 0029) the column is left out, so the same script measures both.
 * The bench uses its own database (tally_bench_audit_list), dropped and recreated each run.
 */
import { execSync } from "node:child_process";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { recreateDatabase } from "@/db/databases";
import type { AuditFilters } from "@/db/queries/audit";
import { systemFormatter } from "@/lib/format";

const fmt = systemFormatter();

const { values: opts } = parseArgs({
  options: {
    count: { type: "string", default: "1000000" },
    iterations: { type: "string", default: "100" },
  },
});
const COUNT = Number(opts.count);
const ITERATIONS = Number(opts.iterations);
const DEEP_PAGES = 200;
const TARGET_MS = 50;
const BENCH_DB = "tally_bench_audit_list";

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.log("bench/admin-list/audit.ts needs PostgreSQL: set DATABASE_URL=postgres://…. Nothing was run.");
  process.exit(1);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function load(): string {
  try {
    return execSync("uptime", { encoding: "utf8" }).trim();
  } catch {
    return `load average: ${os.loadavg().map((l) => l.toFixed(2)).join(", ")}`;
  }
}

async function seed(raw: pg.Client, count: number): Promise<boolean> {
  const { rows } = await raw.query<{ n: string }>("select count(*) n from information_schema.columns where table_name = 'audit_log' and column_name = 'recorded_at'");
  const recorded = rows[0]?.n === "1";
  await raw.query(`
    insert into audit_log (at, ${recorded ? "recorded_at, " : ""}actor_type, actor_id, action, entity_type, entity_id, before, after, request_id)
    select case when g % 20 = 0 then ts + interval '300 days' else ts end, ${recorded ? "ts, " : ""}
      (array['system', 'user', 'api_key', 'webhook'])[1 + g % 4],
      (array['billing-run', 'usr_bench_1', 'key_bench_1', 'evt_bench'])[1 + g % 4],
      case when g % 1000 = 0 then 'api_key.created' else (array['invoice.finalized', 'invoice.paid', 'subscription.renewal', 'customer.updated', 'payment.failed', 'payment_method.attached', 'credit_note.created'])[1 + g % 7] end,
      case when g % 1000 = 0 then 'api_key' else (array['invoice', 'invoice', 'subscription', 'customer', 'payment', 'payment_method', 'credit_note'])[1 + g % 7] end,
      'ent_' || (g % 50000), null, jsonb_build_object('status', 'paid'), null
    from (select g, timestamptz '2026-01-01' + g * interval '20 seconds' as ts from generate_series(1, ${count}) g) s`);
  await raw.query("vacuum analyze audit_log");
  return recorded;
}

async function main(): Promise<void> {
  const { url, version } = await recreateDatabase(baseUrl!, BENCH_DB);
  process.env.DATABASE_URL = url;
  process.env.DATABASE_POOL_SIZE = "4";
  const { getDb, closeDb } = await import("@/db/client");
  const { listAuditEntries } = await import("@/db/queries/audit");
  const db = await getDb();
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  try {
    console.log(`seeding ${COUNT} audit entries in ${BENCH_DB} …`);
    const t0 = performance.now();
    const recorded = await seed(raw, COUNT);
    console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s (recorded_at: ${recorded ? "yes" : "no, before 0029"})`);
    const indexes = await raw.query<{ indexdef: string }>("select indexdef from pg_indexes where tablename = 'audit_log' order by indexname");
    console.log(indexes.rows.map((r) => `  ${r.indexdef}`).join("\n"));

    const samples = new Map<string, number[]>();
    const record = (name: string, ms: number) => samples.set(name, [...(samples.get(name) ?? []), ms]);

    // Paging 200 pages in, each page a sample.
    let before: number | undefined;
    for (let page = 0; page < DEEP_PAGES; page++) {
      const t = performance.now();
      const result = await listAuditEntries(db, { before }, fmt);
      record("paging 1→200 (each page)", performance.now() - t);
      if (result.nextBefore === null) throw new Error(`page ${page + 1} was the last`);
      before = result.nextBefore;
    }
    const day = (iso: string) => ({ from: new Date(`${iso}T00:00:00Z`), to: new Date(`${iso}T23:59:59.999Z`) });
    const middleDay = new Date(Date.parse("2026-01-01T00:00:00Z") + (COUNT / 2) * 20_000).toISOString().slice(0, 10);
    const scenarios: { name: string; filters: AuditFilters }[] = [
      { name: "first page", filters: {} },
      { name: "page 200 deep", filters: { before } },
      { name: "entity type invoice (common)", filters: { entityType: "invoice" } },
      { name: "entity type api_key (1 in 1,000)", filters: { entityType: "api_key" } },
      { name: "one entity", filters: { entity: "ent_777" } },
      { name: "one entity, by type", filters: { entityType: "invoice", entity: "ent_777" } },
      { name: "actor by id", filters: { actor: "usr_bench_1" } },
      { name: "action starts with payment.", filters: { action: "payment." } },
      { name: `one day (${middleDay})`, filters: day(middleDay) },
      { name: "one day + entity type invoice", filters: { ...day(middleDay), entityType: "invoice" } },
    ];
    const loadBefore = load();
    for (const sc of scenarios) {
      for (let i = 0; i < 3; i++) await listAuditEntries(db, sc.filters, fmt);
      for (let i = 0; i < ITERATIONS; i++) {
        const t = performance.now();
        await listAuditEntries(db, sc.filters, fmt);
        record(sc.name, performance.now() - t);
      }
    }
    const loadAfter = load();
    console.log("");
    console.log(`Audit log list, ${COUNT} entries, ${ITERATIONS} iterations per scenario (paging: ${DEEP_PAGES} pages), page size 50, PostgreSQL ${version}`);
    console.log(`load before: ${loadBefore}`);
    console.log(`load after:  ${loadAfter}   (${os.cpus().length} CPUs)`);
    console.log("| scenario | p50 ms | p95 ms | under 50 ms |");
    console.log("|---|---:|---:|:---:|");
    let failed = 0;
    for (const [name, values] of samples) {
      const sorted = [...values].sort((a, b) => a - b);
      const p95 = percentile(sorted, 95);
      if (!(p95 < TARGET_MS)) failed += 1;
      console.log(`| ${name} | ${percentile(sorted, 50).toFixed(2)} | ${p95.toFixed(2)} | ${p95 < TARGET_MS ? "yes" : "NO"} |`);
    }
    console.log(`\ncheck: ${failed === 0 ? `every scenario's p95 is under ${TARGET_MS} ms — PASS` : `${failed} scenario(s) at ${TARGET_MS} ms or more — FAIL`}`);
  } finally {
    await raw.end();
    await closeDb();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
