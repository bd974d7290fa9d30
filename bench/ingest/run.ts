/**
 * Usage ingest benchmark (issue 16 acceptance; issue 17 for API costs): four targets, each against a
 * raw-limit baseline measured in the same run on the same PostgreSQL.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:ingest
 *   options: --parts batch,single,aggregate,costs
 *            batch:     --count 100000 --batch 1000 --concurrency 4 --customers 200 --duplicates 0.05
 *            costs:     the same options as batch
 *            batch, single and costs: --repeat 3 (measurements, each between its own two baselines; the median is the figure)
 *            single:    --rate 500 --seconds 15 (and --duplicates)
 *            aggregate: --events 1000000
 *   INGEST_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=…" passes node flags to Tally's server in part b.
 *
 * a. batch — events/s through POST /usage_events/batch (batches of 1,000, 5% of each batch retries
 *    of events already sent) against PostgreSQL's COPY of the same rows (the distinct events, as
 *    stored) into the same usage_events table, through psql's \copy (COPY … FROM STDIN: the pg driver
 *    has no COPY without another package); the ratio of Tally's stored rows/s to COPY's rows/s
 *    (target ≥ 25%). Tally's side is HTTP: a node:http server in a process of its own
 *    (bench/ingest/batch-server.ts, started once; the client stays in this process, as psql is
 *    COPY's own process) hands each request to the route handler (API key, rate limit, JSON, zod per event, the ingest service, one
 *    transaction per batch writing events, identifier keys, hourly rollups, the minute's ingest
 *    counts and an audit entry); a keep-alive client sends `--concurrency` batches at a time. COPY
 *    writes only the event rows (with the same indexes and partitions), none of the rest is counted.
 *    COPY runs right before and right after Tally's run (each after a CHECKPOINT, on emptied tables,
 *    as is the run); the ratio is taken to their mean, since this machine's speed drifts. Tally's
 *    run follows a warm-up of 50 batches under other identifiers (the tables emptied after it), as
 *    a server that has been up a while; `--repeat` (default 3) such measurements, each between its
 *    own two COPYs, and the median ratio is the figure.
 * b. single — p99 of POST /usage_events at `--rate` requests/s (open loop; 5% retries, answered 200
 *    with the stored event) against a bare node:http server doing one INSERT per request
 *    (bench/ingest/baseline-server.mjs), each server in a process of its own, the baseline before
 *    and after Tally; target p99 ≤ 2× the baseline's (the mean of its two runs). Tally's server is
 *    the dedicated usage listener (USAGE_EVENTS_PORT: the route handler without Next's pipeline,
 *    bench/ingest/listener-server.ts). Each server is warmed at the same rate for 10 s before its
 *    first measurement (2 s before later ones); `--repeat` (default 3) rounds, the median ratio
 *    is the figure.
 * c. aggregate — `usageFor` (the service invoicing calls) for one customer with `--events` events
 *    in a 30-day period whose ends fall mid-hour, against the raw SQL aggregate over the same rows
 *    (one `select sum(...)` over usage_events for that customer, meter and range); medians of 15
 *    runs after 3 warm-ups each; target ≤ 2×. The events are written by SQL and the meter created
 *    after them, so its rollups are built by the meter-version path (the one ingest's rollups are
 *    checked against by the property test).
 * d. costs — costs/s through POST /api_costs/batch, measured as part a (same batches of 1,000, 5%
 *    retries, concurrency, HTTP server and target ≥ 25%) against COPY of the same distinct costs, as
 *    stored (the cost the rate gives), into api_costs. The costs are priced by the provider's rate in
 *    force (the statement computes units × rate), three in four attributed to a customer; Tally's run
 *    writes the costs, identifier keys, hourly rollups and an audit entry per batch. The provider
 *    does not rebill (a rebilling provider's attributed costs also go through the usage statement).
 *
 * The rate limit is raised for the run: 100 requests/s per key would otherwise be the ceiling.
 * The bench uses its own database (tally_ingest_bench), dropped and recreated each run.
 */
import { execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { recreateDatabase } from "@/db/databases";
import { formatDecimal, multiplyDecimals, parseDecimal } from "@/lib/money";
import { cpuMs, freePort, load1, machineCpu, median, openLoop, p99ByWindow, spawnServer, stop, summarize, table, waitForHttp, type Row, type Sample } from "../support/open-loop";
import { systemFormatter } from "@/lib/format";

const { values: opts } = parseArgs({
  options: {
    count: { type: "string", default: "100000" },
    batch: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "4" },
    customers: { type: "string", default: "200" },
    duplicates: { type: "string", default: "0.05" },
    parts: { type: "string", default: "batch,single,aggregate,costs" },
    rate: { type: "string", default: "500" },
    seconds: { type: "string", default: "15" },
    events: { type: "string", default: "1000000" },
    repeat: { type: "string", default: "3" },
  },
});
const PARTS = new Set(opts.parts.split(","));
const RATE = Number(opts.rate);
const SECONDS = Number(opts.seconds);
const AGGREGATE_EVENTS = Number(opts.events);
const COUNT = Number(opts.count);
const BATCH = Number(opts.batch);
const CONCURRENCY = Number(opts.concurrency);
const CUSTOMERS = Number(opts.customers);
const DUPLICATES = Number(opts.duplicates);
const REPEAT = Math.max(1, Number(opts.repeat));
/** Requests/s × this many seconds warm each single-event server before its first measurement. */
const SINGLE_WARM_SECONDS = 10;
/** Batches sent before each timed run, outside it (half a default run). */
const WARM_BATCHES = 50;

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error("bench:ingest needs DATABASE_URL (PostgreSQL)");
const { url, version } = await recreateDatabase(serverUrl, "tally_ingest_bench");
process.env.DATABASE_URL = url;
process.env.NEXTAUTH_SECRET ??= "bench-only-secret-000000000000000";
process.env.API_RATE_LIMIT_PER_SECOND = "1000000";
process.env.TALLY_JOBS = "off";

const { closeDb, getDb } = await import("@/db/client");
const { createApiKey } = await import("@/lib/api/keys");
const { systemActor } = await import("@/lib/actor");
const { createCustomer } = await import("@/lib/services/customers/create-customer");
const { createMeter } = await import("@/lib/services/usage/create-meter");
const { createCostProvider } = await import("@/lib/services/api-costs/providers");
const { usageFor } = await import("@/lib/services/usage/usage-for");
const { sql } = await import("drizzle-orm");
const { queryRows } = await import("@/db/client");

const load = () => os.loadavg().map((n) => n.toFixed(2)).join(" ");
const fmt = (n: number) => systemFormatter().count(Math.round(n));

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

// Distinct items spread over the last day in arrival order (a day's traffic replayed: each batch
// covers a few minutes of it, as a client flushing its buffer would send), each batch topped up
// with retries of items already sent. Shared by the usage-event and the API-cost batches.
interface Batched<T> {
  distinct: T[];
  batches: T[][];
  sent: number;
}

function batchesOf<T>(make: (n: number, timestamp: string) => T): Batched<T> {
  const distinct: T[] = [];
  const batches: T[][] = [];
  const fresh = Math.round(BATCH * (1 - DUPLICATES));
  const distinctCount = Math.ceil((COUNT * (1 - DUPLICATES)) / fresh) * fresh;
  while (distinct.length < distinctCount) {
    const batch: T[] = [];
    for (let i = 0; i < fresh; i++) {
      const n = distinct.length;
      const item = make(n, new Date(now.getTime() - 86_400_000 + Math.floor((n * 86_400_000) / distinctCount)).toISOString());
      distinct.push(item);
      batch.push(item);
    }
    while (batch.length < BATCH) batch.push(distinct[Math.floor(Math.random() * distinct.length)]!);
    batches.push(batch);
  }
  return { distinct, batches, sent: batches.reduce((n, b) => n + b.length, 0) };
}

/**
 * One batch endpoint against COPY of the same distinct rows, as stored, into the table it writes:
 * `tables` are emptied before each run (the stored rows, identifier keys and rollups), `copy` names
 * the table and columns COPY fills from `row`'s CSV fields.
 */
interface BatchTarget<T> {
  title: string;
  noun: string;
  path: string;
  bodyKey: string;
  tables: string;
  copy: { table: string; columns: string };
  row: (item: T, n: number) => string[];
  items: Batched<T>;
}

const USAGE_TABLES = "usage_events, usage_event_identifiers, usage_rollups, usage_rollup_values";

interface BenchEvent {
  identifier: string;
  meter: string;
  customer: string;
  timestamp: string;
  properties: { tokens: number; model: string };
}
const usageTarget = (): BatchTarget<BenchEvent> => ({
  title: "a. batch",
  noun: "events",
  path: "/api/v1/usage_events/batch",
  bodyKey: "events",
  tables: USAGE_TABLES,
  copy: { table: "usage_events", columns: `id, identifier, meter_code, customer_id, "timestamp", properties, late, livemode, created_at` },
  row: (e, n) => [`ue_bench${n}`, e.identifier, e.meter, e.customer, e.timestamp, csvField(JSON.stringify(e.properties)), "f", "f", now.toISOString()],
  items: batchesOf((n, timestamp) => ({
    identifier: `bench-${n}`,
    meter: "tokens",
    customer: customerIds[n % CUSTOMERS]!,
    timestamp,
    properties: { tokens: (n % 997) + 1, model: n % 3 === 0 ? "large" : "small" },
  })),
});

interface BenchCost {
  identifier: string;
  provider: string;
  operation: string;
  region: string;
  units: number;
  customer?: string;
  timestamp: string;
  properties: { model: string };
}
// Costs priced by the rate in force (no cost_decimal: the statement computes units × rate), three in
// four attributed to a customer; COPY gets the cost the rate gives, as stored.
const COST_RATE = { operation: "completion", unit: "token", unitCostDecimal: "0.000015", currency: "usd", effectiveFrom: new Date(now.getTime() - 30 * 86_400_000) };
const costTarget = (rateId: string): BatchTarget<BenchCost> => {
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return {
    title: "d. costs",
    noun: "costs",
    path: "/api/v1/api_costs/batch",
    bodyKey: "costs",
    tables: "api_costs, api_cost_identifiers, api_cost_rollups",
    copy: { table: "api_costs", columns: `id, identifier, provider_code, operation, region, units, cost, currency, customer_id, "timestamp", properties, late, livemode, rate_id, created_at` },
    row: (c, n) => {
      const cost = formatDecimal(multiplyDecimals(parseDecimal(String(c.units)), parseDecimal(COST_RATE.unitCostDecimal)));
      const late = new Date(c.timestamp).getTime() < monthStart ? "t" : "f";
      return [`acost_bench${n}`, c.identifier, c.provider, c.operation, c.region, String(c.units), cost, COST_RATE.currency, c.customer ?? "", c.timestamp, csvField(JSON.stringify(c.properties)), late, "f", rateId, now.toISOString()];
    },
    items: batchesOf((n, timestamp) => ({
      identifier: `cost-${n}`,
      provider: "openai",
      operation: COST_RATE.operation,
      region: n % 2 === 0 ? "US" : "AU",
      units: (n % 4093) + 1,
      ...(n % 4 === 3 ? {} : { customer: customerIds[n % CUSTOMERS]! }),
      timestamp,
      properties: { model: n % 3 === 0 ? "large" : "small" },
    })),
  };
};

const csvField = (s: string) => `"${s.replace(/"/g, '""')}"`;

async function emptyTables(tables: string): Promise<void> {
  await db.execute(sql.raw(`truncate ${tables}`));
  await db.execute(sql`checkpoint`);
}

// The raw limit: COPY of the distinct rows -------------------------------------------------------
async function copyBaseline<T>(target: BatchTarget<T>, csvPath: string): Promise<number> {
  await emptyTables(target.tables);
  const started = performance.now();
  execFileSync("psql", [url, "-qc", `\\copy ${target.copy.table} (${target.copy.columns}) from '${csvPath}' with (format csv)`]);
  const seconds = (performance.now() - started) / 1000;
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.raw(target.copy.table)}`);
  const expected = target.items.distinct.length;
  if (row?.n !== expected) throw new Error(`COPY stored ${row?.n} rows, expected ${expected}`);
  return expected / seconds;
}

// Tally: the batch endpoints over HTTP, served by a process of its own (batch-server.ts) -----------
let batchServer: { child: ChildProcess; port: number } | null = null;
async function batchServerPort(): Promise<{ child: ChildProcess; port: number }> {
  if (batchServer) return batchServer;
  const serverPort = await freePort();
  const child = spawnServer(process.execPath, [...(process.env.INGEST_BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean), "--import", "tsx", path.join(import.meta.dirname, "batch-server.ts")], { ...process.env, PORT: String(serverPort) }, process.cwd(), path.join(os.tmpdir(), "tally_ingest_batch_server.log"));
  await waitForHttp(`http://127.0.0.1:${serverPort}/`, child, 60_000);
  return (batchServer = { child, port: serverPort });
}
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(port: number, pathName: string, body: string): Promise<{ accepted: number; duplicates: number; rejected: unknown[] }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path: pathName, method: "POST", agent, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
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

async function tallyRun<T extends { identifier: string }>(target: BatchTarget<T>): Promise<{ seconds: number; serverCpuSeconds: number | null; clientCpuSeconds: number; machineBusy: number; machineTotal: number; accepted: number; duplicates: number; rejected: number }> {
  const { child, port } = await batchServerPort();
  const bodies = target.items.batches.map((b) => JSON.stringify({ [target.bodyKey]: b }));
  await emptyTables(target.tables);
  // Warm-up outside the timed run, as a server that has been up a while is: the first WARM_BATCHES
  // batches under other identifiers, at the same concurrency (the JIT, the connection pool and its
  // backends' caches, the route's modules); then the tables are emptied again.
  const warm = target.items.batches.slice(0, WARM_BATCHES).map((b) => JSON.stringify({ [target.bodyKey]: b.map((e) => ({ ...e, identifier: `warm-${e.identifier}` })) }));
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let i = w; i < warm.length; i += CONCURRENCY) await post(port, target.path, warm[i]!);
    }),
  );
  await emptyTables(target.tables);
  let next = 0;
  const totals = { accepted: 0, duplicates: 0, rejected: 0 };
  const cpuBefore = process.cpuUsage();
  const serverCpuBefore = cpuMs(child.pid);
  const machineBefore = machineCpu();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const result = await post(port, target.path, bodies[next++]!);
        totals.accepted += result.accepted;
        totals.duplicates += result.duplicates;
        totals.rejected += result.rejected.length;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const serverCpuAfter = cpuMs(child.pid);
  const machineAfter = machineCpu();
  const cpu = process.cpuUsage(cpuBefore);
  const serverCpuSeconds = serverCpuBefore === null || serverCpuAfter === null ? null : (serverCpuAfter - serverCpuBefore) / 1000;
  const machineBusy = machineAfter.busy - machineBefore.busy;
  const machineTotal = machineBusy + machineAfter.idle - machineBefore.idle;
  return { seconds, serverCpuSeconds, clientCpuSeconds: (cpu.user + cpu.system) / 1e6, machineBusy, machineTotal, ...totals };
}

console.log(`PostgreSQL ${version}; ${os.cpus().length} CPUs; load average ${load()}`);
let ok = true;
if (PARTS.has("batch")) ok = (await batchPart(usageTarget())) && ok;
if (PARTS.has("single")) ok = (await singlePart()) && ok;
if (PARTS.has("aggregate")) ok = (await aggregatePart()) && ok;
if (PARTS.has("costs")) {
  const { rates } = await createCostProvider(ctx, { code: "openai", name: "OpenAI", rates: [COST_RATE] });
  ok = (await batchPart(costTarget(rates[0]!.id))) && ok;
}
console.log(`load average at the end ${load()}`);

await stop((batchServer as { child: ChildProcess } | null)?.child ?? null);
agent.destroy();
await closeDb();
if (!ok) process.exitCode = 1;

async function batchPart<T extends { identifier: string }>(target: BatchTarget<T>): Promise<boolean> {
  const { distinct, batches, sent } = target.items;
  const csvPath = path.join(os.tmpdir(), `tally_ingest_bench_${target.copy.table}.csv`);
  fs.writeFileSync(csvPath, distinct.map((item, n) => target.row(item, n).join(",")).join("\n") + "\n");
  try {
    console.log(`\n${target.title}: ${fmt(sent)} ${target.noun} in ${batches.length} batches of ${BATCH} (${fmt(sent - distinct.length)} retries, ${(DUPLICATES * 100).toFixed(0)}%), ${CUSTOMERS} customers, ${CONCURRENCY} batches in flight; ${REPEAT} repetition(s), the median is the figure`);
    const ratios: number[] = [];
    let ok = true;
    for (let k = 1; k <= REPEAT; k++) {
      if (REPEAT > 1) console.log(`repetition ${k}`);
      const before = await copyBaseline(target, csvPath);
      console.log(`baseline before  COPY (psql \\copy) into ${target.copy.table} ${fmt(before)} rows/s`);
      const run = await tallyRun(target);
      const after = await copyBaseline(target, csvPath);
      console.log(`baseline after   COPY (psql \\copy) into ${target.copy.table} ${fmt(after)} rows/s`);
      const stored = run.accepted / run.seconds;
      const baseline = (before + after) / 2;
      console.log(`Tally            POST ${target.path.replace("/api/v1", "")}: ${fmt(sent / run.seconds)} ${target.noun}/s handled, ${fmt(stored)} rows/s stored (${run.seconds.toFixed(2)} s)`);
      const serverCpu = run.serverCpuSeconds === null ? "?" : `${run.serverCpuSeconds.toFixed(2)} s of CPU, ${((run.serverCpuSeconds / run.seconds) * 100).toFixed(0)}% of one core`;
      console.log(`                 Tally's server process: ${serverCpu}; the client (this process): ${run.clientCpuSeconds.toFixed(2)} s`);
      const others = run.machineBusy - (run.serverCpuSeconds ?? 0) - run.clientCpuSeconds;
      console.log(`                 the machine: ${run.machineBusy.toFixed(2)} of ${run.machineTotal.toFixed(2)} CPU-seconds busy (PostgreSQL and anything else ${others.toFixed(2)})`);
      ratios.push(stored / baseline);
      console.log(`ratio            ${((stored / baseline) * 100).toFixed(1)}% of COPY's rows/s`);
      const good = run.accepted === distinct.length && run.duplicates === sent - distinct.length && run.rejected === 0;
      console.log(`check            accepted ${fmt(run.accepted)} (expected ${fmt(distinct.length)}), duplicates ${fmt(run.duplicates)} (expected ${fmt(sent - distinct.length)}), rejected ${run.rejected}: ${good ? "ok" : "MISMATCH"}`);
      ok &&= good;
    }
    const percent = (r: number) => `${(r * 100).toFixed(1)}%`;
    console.log(`${target.title.split(":")[0]} ratio ${percent(median(ratios))} of COPY's rows/s${spreadOf(ratios, percent)} (target ≥ 25%)`);
    console.log(`load average after ${load()}`);
    return ok;
  } finally {
    fs.rmSync(csvPath, { force: true });
  }
}

/** " (median of 3; lowest …, highest …)" after a part's figure, when it ran more than one round. */
function spreadOf(ratios: readonly number[], show: (ratio: number) => string): string {
  if (ratios.length < 2) return "";
  return ` (median of ${ratios.length}; lowest ${show(Math.min(...ratios))}, highest ${show(Math.max(...ratios))})`;
}

// b. The single-event endpoint at a fixed rate, against one INSERT per request ------------------------
interface SingleEvent {
  body: string;
  fresh: boolean;
}

function httpSender(port: number, pathName: string): { send: (e: SingleEvent) => Promise<number>; close: () => void } {
  const singleAgent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const send = (e: SingleEvent) =>
    new Promise<number>((resolve) => {
      const req = http.request(
        { host: "127.0.0.1", port, path: pathName, method: "POST", agent: singleAgent, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "content-length": Buffer.byteLength(e.body) } },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", () => resolve(0));
      req.end(e.body);
    });
  return { send, close: () => singleAgent.destroy() };
}

function p99Of(samples: readonly Sample[]): string {
  return samples.length === 0 ? "–" : summarize("", samples).p99.toFixed(1);
}

/** `count` events for `prefix`: distinct ones spread over the customers, `--duplicates` of them retries of earlier ones. */
function singleEvents(prefix: string, count: number): SingleEvent[] {
  const out: SingleEvent[] = [];
  const sentBodies: string[] = [];
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < count; i++) {
    if (sentBodies.length > 0 && random() < DUPLICATES) {
      out.push({ body: sentBodies[Math.floor(random() * sentBodies.length)]!, fresh: false });
      continue;
    }
    const n = sentBodies.length;
    const body = JSON.stringify({
      identifier: `${prefix}-${n}`,
      meter: "tokens",
      customer: customerIds[n % CUSTOMERS]!,
      timestamp: new Date(Date.now() - 60_000 - (n % 600) * 1000).toISOString(),
      properties: { tokens: (n % 997) + 1, model: n % 3 === 0 ? "large" : "small" },
    });
    sentBodies.push(body);
    out.push({ body, fresh: true });
  }
  return out;
}

async function singlePart(): Promise<boolean> {
  const count = RATE * SECONDS;
  console.log(`\nb. single: POST /usage_events at ${RATE} req/s for ${SECONDS} s (${fmt(count)} requests, ${(DUPLICATES * 100).toFixed(0)}% retries), 200 customers; each server in its own process`);
  await emptyTables(USAGE_TABLES);
  const [basePort, tallyPort] = [await freePort(), await freePort()];
  const logDir = os.tmpdir();
  const env = { ...process.env, DATABASE_URL: url };
  const baselineServer = spawnServer(process.execPath, [path.join(import.meta.dirname, "baseline-server.mjs")], { ...env, PORT: String(basePort) }, process.cwd(), path.join(logDir, "tally_ingest_baseline.log"));
  const tallyServer = spawnServer(process.execPath, [...(process.env.INGEST_BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean), "--import", "tsx", path.join(import.meta.dirname, "listener-server.ts")], { ...env, PORT: String(tallyPort) }, process.cwd(), path.join(logDir, "tally_ingest_listener.log"));
  try {
    await waitForHttp(`http://127.0.0.1:${basePort}/`, baselineServer, 30_000);
    await waitForHttp(`http://127.0.0.1:${tallyPort}/`, tallyServer, 60_000);
    const base = httpSender(basePort, "/");
    const tally = httpSender(tallyPort, "/api/v1/usage_events");
    const ratios: number[] = [];
    let good = true;
    for (let k = 1; k <= REPEAT; k++) {
      if (REPEAT > 1) console.log(`repetition ${k}`);
      // Every round starts from the same tables: Tally's usage tables and the baseline's emptied.
      await emptyTables(USAGE_TABLES);
      await db.execute(sql`truncate bench_usage_baseline`);
      const rows: Row[] = [];
      const cpu: string[] = [];
      const measure = async (name: string, pid: number | undefined, send: (e: SingleEvent) => Promise<number>, prefix: string): Promise<SingleEvent[]> => {
        // Warm-up at the same rate, not counted: SINGLE_WARM_SECONDS before a server's first
        // measurement (the JIT, pools and modules of a server that has been up a while), 2 s after.
        await openLoop(send, singleEvents(`warm-${prefix}`, RATE * (k === 1 ? SINGLE_WARM_SECONDS : 2)), RATE);
        await db.execute(sql`checkpoint`);
        const loadBefore = load1();
        const [cpuBefore, machineBefore, senderBefore] = [cpuMs(pid), machineCpu(), process.cpuUsage()];
        const events = singleEvents(prefix, count);
        const run = await openLoop(send, events, RATE);
        const [cpuAfter, machineAfter, sender] = [cpuMs(pid), machineCpu(), process.cpuUsage(senderBefore)];
        rows.push(summarize(name, run.samples));
        const server = cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / count;
        const senderMs = (sender.user + sender.system) / 1000 / count;
        // What the machine spent besides the server and the sender: PostgreSQL, mostly.
        const rest = server === null ? null : ((machineAfter.busy - machineBefore.busy) * 1000) / count - server - senderMs;
        cpu.push(`${name}: ${server === null ? "?" : server.toFixed(2)} ms CPU/request (the sender ${senderMs.toFixed(2)}, the rest of the machine — PostgreSQL, mostly — ${rest === null ? "?" : rest.toFixed(2)}), load ${loadBefore} → ${load1()}, sender lag max ${run.maxLagMs.toFixed(1)} ms, p99 per 5 s ${p99ByWindow(run.samples)}, p99 of first sends / retries ${p99Of(run.samples.filter((s) => events[s.index]!.fresh))} / ${p99Of(run.samples.filter((s) => !events[s.index]!.fresh))} ms`);
        return events;
      };
      await measure("baseline (before)", baselineServer.pid, base.send, `base${k}a`);
      const tallyEvents = await measure("Tally (usage listener)", tallyServer.pid, tally.send, `tally${k}`);
      await measure("baseline (after)", baselineServer.pid, base.send, `base${k}b`);
      console.log(table(rows));
      for (const line of cpu) console.log(`  ${line}`);
      const baseP99 = (rows[0]!.p99 + rows[2]!.p99) / 2;
      const ratio = rows[1]!.p99 / baseP99;
      ratios.push(ratio);
      console.log(`ratio            p99 ${rows[1]!.p99.toFixed(2)} ms / baseline p99 ${baseP99.toFixed(2)} ms = ${ratio.toFixed(2)}×`);
      const [stored] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from usage_events where identifier like ${`tally${k}-%`}`);
      const distinctSent = new Set(tallyEvents.map((e) => e.body)).size;
      const allOk = rows.every((r) => r.ok === r.sent);
      const repetitionOk = allOk && stored?.n === distinctSent;
      console.log(`check            every answer 2xx: ${allOk ? "yes" : "NO"}; events stored ${fmt(stored?.n ?? 0)} (expected ${fmt(distinctSent)}): ${repetitionOk ? "ok" : "MISMATCH"}`);
      good &&= repetitionOk;
    }
    base.close();
    tally.close();
    const times = (r: number) => `${r.toFixed(2)}×`;
    console.log(`b. single ratio p99 ${times(median(ratios))} the baseline's${spreadOf(ratios, times)} (target ≤ 2×)`);
    return good;
  } finally {
    await stop(baselineServer);
    await stop(tallyServer);
  }
}

// c. usageFor over a period of 1,000,000 events, against the raw SQL aggregate ------------------------
async function aggregatePart(): Promise<boolean> {
  console.log(`\nc. aggregate: usageFor for one customer with ${fmt(AGGREGATE_EVENTS)} events in a 30-day period, against the raw SQL sum over the same rows`);
  const customer = await createCustomer(ctx, { email: "bench-aggregate@example.test", name: null, currency: "aud", timezone: "UTC", address: {} });
  // A period anchored at an arbitrary second, ending before now (partitions exist from a month back).
  const to = new Date(Math.floor(now.getTime() / 1000) * 1000 - 1_234_000);
  const from = new Date(to.getTime() - 30 * 86_400_000);
  const { ensureUsagePartitions } = await import("@/db/queries/usage");
  await createMeter(ctx, { code: "agg_tokens", name: "Aggregate tokens", aggregation: "sum", valueProperty: "tokens" });
  await ensureUsagePartitions(db, [from, to]);
  const started = performance.now();
  const span = to.getTime() - from.getTime();
  await db.execute(sql`insert into usage_events (id, identifier, meter_code, customer_id, "timestamp", properties, late, livemode, created_at)
    select 'ue_agg' || g, 'agg-' || g, 'agg_tokens', ${customer.id}, ${from.toISOString()}::timestamptz + (g::float8 * ${span} / ${AGGREGATE_EVENTS}) * interval '1 millisecond',
           jsonb_build_object('tokens', (g % 997) + 1, 'model', case when g % 3 = 0 then 'large' else 'small' end), false, false, now()
      from generate_series(0, ${AGGREGATE_EVENTS - 1}) g`);
  await db.execute(sql`insert into usage_event_identifiers (livemode, identifier, event_id, "timestamp") select livemode, identifier, id, "timestamp" from usage_events where meter_code = 'agg_tokens'`);
  // The second version of the code builds its rollups from the stored events (the first, made before them, has none).
  const meter = await createMeter(ctx, { code: "agg_tokens", name: "Aggregate tokens", aggregation: "sum", valueProperty: "tokens" });
  await db.execute(sql`vacuum analyze usage_events`);
  await db.execute(sql`vacuum analyze usage_rollups`);
  console.log(`                 ${fmt(AGGREGATE_EVENTS)} events and their rollups written in ${((performance.now() - started) / 1000).toFixed(1)} s (not measured)`);

  const raw = async () => {
    const [row] = await queryRows<{ total: string }>(
      db,
      sql`select coalesce(sum((properties ->> 'tokens')::numeric), 0)::text as total from usage_events
           where customer_id = ${customer.id} and meter_code = 'agg_tokens' and livemode = false and "timestamp" >= ${from.toISOString()}::timestamptz and "timestamp" < ${to.toISOString()}::timestamptz`,
    );
    return row?.total ?? "0";
  };
  const tally = () => usageFor({ db }, { customer: customer.id, meter: meter.id, from, to });
  const time = async (f: () => Promise<string>) => {
    for (let i = 0; i < 3; i++) await f();
    const ms: number[] = [];
    let value = "";
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      value = await f();
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    return { value, median: ms[7]!, max: ms[14]! };
  };
  const base = await time(raw);
  const mine = await time(tally);
  const ratio = mine.median / base.median;
  console.log(`baseline         raw SQL sum: median ${base.median.toFixed(2)} ms (max ${base.max.toFixed(2)}), value ${base.value}`);
  console.log(`Tally            usageFor: median ${mine.median.toFixed(2)} ms (max ${mine.max.toFixed(2)}), value ${mine.value}`);
  console.log(`ratio            ${ratio.toFixed(3)}× of the raw aggregate's time (target ≤ 2×)`);
  const good = Number(mine.value) === Number(base.value);
  console.log(`check            same value: ${good ? "ok" : "MISMATCH"}`);
  return good;
}
