/**
 * Usage ingest benchmark (issue 16 acceptance): events/s through POST /usage_events/batch (batches
 * of 1,000, 5% of each batch retries of events already sent), next to a raw-limit baseline measured
 * in the same run — PostgreSQL's COPY of the same rows (the distinct events, as stored) into the
 * same usage_events table, through psql's \copy (COPY … FROM STDIN: the pg driver has no COPY
 * without another package) — and the ratio of Tally's stored rows/s to COPY's rows/s (target ≥ 25%).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:ingest
 *   options: --count 100000 --batch 1000 --concurrency 4 --customers 200 --duplicates 0.05
 *
 * Tally's side is HTTP: a node:http server in this process hands each request to the route handler
 * of POST /usage_events/batch (API key, rate limit, JSON, zod per event, the ingest service, one
 * transaction per batch writing events, identifier keys, hourly rollups and an audit entry); a
 * keep-alive client sends `--concurrency` batches at a time. Next's own request pipeline is not in
 * the path (about 2 ms of CPU a request by the webhook bench, W6–W7: 2 µs an event in a batch of
 * 1,000). The rate limit is raised for the run: 100 batches/s per key would otherwise be the ceiling.
 *
 * COPY writes only the event rows (with the same indexes and partitions); Tally also writes the
 * identifier key (the idempotency), the rollups and the audit entry, none of which is counted.
 * The baseline runs right before and right after Tally's run (each after a CHECKPOINT, on emptied
 * tables, as is the run); the ratio is taken to their mean, since this machine's speed drifts.
 * The bench uses its own database (tally_usage_bench), dropped and recreated each run.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { recreateDatabase } from "@/db/databases";

const { values: opts } = parseArgs({
  options: {
    count: { type: "string", default: "100000" },
    batch: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "4" },
    customers: { type: "string", default: "200" },
    duplicates: { type: "string", default: "0.05" },
  },
});
const COUNT = Number(opts.count);
const BATCH = Number(opts.batch);
const CONCURRENCY = Number(opts.concurrency);
const CUSTOMERS = Number(opts.customers);
const DUPLICATES = Number(opts.duplicates);

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error("bench:ingest needs DATABASE_URL (PostgreSQL)");
const { url, version } = await recreateDatabase(serverUrl, "tally_usage_bench");
process.env.DATABASE_URL = url;
process.env.NEXTAUTH_SECRET ??= "bench-only-secret-000000000000000";
process.env.API_RATE_LIMIT_PER_SECOND = "1000000";
process.env.TALLY_JOBS = "off";

const { closeDb, getDb } = await import("@/db/client");
const { createApiKey } = await import("@/lib/api/keys");
const { systemActor } = await import("@/lib/actor");
const { createCustomer } = await import("@/lib/services/customers/create-customer");
const { createMeter } = await import("@/lib/services/usage/create-meter");
const { POST: batchRoute } = await import("@/app/api/v1/usage_events/batch/route");
const { sql } = await import("drizzle-orm");
const { queryRows } = await import("@/db/client");

const load = () => os.loadavg().map((n) => n.toFixed(2)).join(" ");
const fmt = (n: number) => Math.round(n).toLocaleString("en-AU");

// Setup (not measured) ---------------------------------------------------------------------------
const db = await getDb();
const now = new Date();
const ctx = { db, actor: systemActor("bench"), now };
const { key } = await createApiKey(db, { name: "bench", livemode: false, createdBy: "bench" });
await createMeter(ctx, { code: "tokens", name: "Tokens", aggregation: "sum", valueProperty: "tokens" });
const customerIds: string[] = [];
for (let i = 0; i < CUSTOMERS; i++) {
  const c = await createCustomer(ctx, { email: `bench-${i}@example.test`, name: null, currency: "aud", timezone: "UTC", address: {} });
  customerIds.push(c.id);
}

interface BenchEvent {
  identifier: string;
  meter: string;
  customer: string;
  timestamp: string;
  properties: { tokens: number; model: string };
}
// Distinct events spread over the last day in arrival order (a day's traffic replayed: each batch
// covers a few minutes of it, as a client flushing its buffer would send), each batch topped up
// with retries of events already sent.
const distinct: BenchEvent[] = [];
const batches: BenchEvent[][] = [];
const fresh = Math.round(BATCH * (1 - DUPLICATES));
const distinctCount = Math.ceil((COUNT * (1 - DUPLICATES)) / fresh) * fresh;
while (distinct.length < distinctCount) {
  const batch: BenchEvent[] = [];
  for (let i = 0; i < fresh; i++) {
    const n = distinct.length;
    const e = {
      identifier: `bench-${n}`,
      meter: "tokens",
      customer: customerIds[n % CUSTOMERS]!,
      timestamp: new Date(now.getTime() - 86_400_000 + Math.floor((n * 86_400_000) / distinctCount)).toISOString(),
      properties: { tokens: (n % 997) + 1, model: n % 3 === 0 ? "large" : "small" },
    };
    distinct.push(e);
    batch.push(e);
  }
  while (batch.length < BATCH) batch.push(distinct[Math.floor(Math.random() * distinct.length)]!);
  batches.push(batch);
}
const sent = batches.reduce((n, b) => n + b.length, 0);
const bodies = batches.map((b) => JSON.stringify({ events: b }));

// The raw limit: COPY of the distinct rows -------------------------------------------------------
const csvPath = path.join(os.tmpdir(), "tally_usage_bench.csv");
const csvField = (s: string) => `"${s.replace(/"/g, '""')}"`;
fs.writeFileSync(
  csvPath,
  distinct.map((e, n) => [`ue_bench${n}`, e.identifier, e.meter, e.customer, e.timestamp, csvField(JSON.stringify(e.properties)), "f", "f", now.toISOString()].join(",")).join("\n") + "\n",
);

async function emptyTables(): Promise<void> {
  await db.execute(sql`truncate usage_events, usage_event_identifiers, usage_rollups, usage_rollup_values`);
  await db.execute(sql`checkpoint`);
}

async function copyBaseline(): Promise<number> {
  await emptyTables();
  const started = performance.now();
  execFileSync("psql", [url, "-qc", `\\copy usage_events (id, identifier, meter_code, customer_id, "timestamp", properties, late, livemode, created_at) from '${csvPath}' with (format csv)`]);
  const seconds = (performance.now() - started) / 1000;
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from usage_events`);
  if (row?.n !== distinct.length) throw new Error(`COPY stored ${row?.n} rows, expected ${distinct.length}`);
  return distinct.length / seconds;
}

// Tally: the batch endpoint over HTTP --------------------------------------------------------------
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const request = new Request(`http://localhost${req.url ?? "/"}`, { method: req.method, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
    void batchRoute(request).then(async (response) => {
      res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "application/json" });
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.address() as AddressInfo).port;
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(body: string): Promise<{ accepted: number; duplicates: number; rejected: unknown[] }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path: "/api/v1/usage_events/batch", method: "POST", agent, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => (res.statusCode === 202 ? resolve(JSON.parse(Buffer.concat(chunks).toString())) : reject(new Error(`${res.statusCode}: ${Buffer.concat(chunks).toString()}`))));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function tallyRun(): Promise<{ seconds: number; cpuSeconds: number; accepted: number; duplicates: number; rejected: number }> {
  await emptyTables();
  // Warm-up outside the timed run (JIT, the connection pool, the route's modules), then emptied again.
  await post(JSON.stringify({ events: batches[0]!.slice(0, 50).map((e) => ({ ...e, identifier: `warm-${e.identifier}` })) }));
  await emptyTables();
  let next = 0;
  const totals = { accepted: 0, duplicates: 0, rejected: 0 };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const result = await post(bodies[next++]!);
        totals.accepted += result.accepted;
        totals.duplicates += result.duplicates;
        totals.rejected += result.rejected.length;
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, ...totals };
}

console.log(`Usage ingest: ${fmt(sent)} events in ${batches.length} batches of ${BATCH} (${fmt(sent - distinct.length)} retries, ${(DUPLICATES * 100).toFixed(0)}%), ${CUSTOMERS} customers, ${CONCURRENCY} batches in flight`);
console.log(`PostgreSQL ${version}; ${os.cpus().length} CPUs; load average ${load()}`);
const before = await copyBaseline();
console.log(`baseline before  COPY (psql \\copy) ${fmt(before)} rows/s`);
const run = await tallyRun();
const after = await copyBaseline();
console.log(`baseline after   COPY (psql \\copy) ${fmt(after)} rows/s`);
const stored = run.accepted / run.seconds;
const baseline = (before + after) / 2;
console.log(`Tally            POST /usage_events/batch: ${fmt(sent / run.seconds)} events/s handled, ${fmt(stored)} rows/s stored (${run.seconds.toFixed(2)} s)`);
console.log(`                 this process (server and client): ${run.cpuSeconds.toFixed(2)} s of CPU, ${((run.cpuSeconds / run.seconds) * 100).toFixed(0)}% of one core; the rest of the wall time is PostgreSQL's`);
console.log(`ratio            ${((stored / baseline) * 100).toFixed(1)}% of COPY's rows/s (target ≥ 25%)`);
const ok = run.accepted === distinct.length && run.duplicates === sent - distinct.length && run.rejected === 0;
console.log(`check            accepted ${fmt(run.accepted)} (expected ${fmt(distinct.length)}), duplicates ${fmt(run.duplicates)} (expected ${fmt(sent - distinct.length)}), rejected ${run.rejected}: ${ok ? "ok" : "MISMATCH"}`);
console.log(`load average after ${load()}`);

server.close();
agent.destroy();
await closeDb();
fs.rmSync(csvPath, { force: true });
if (!ok) process.exitCode = 1;
