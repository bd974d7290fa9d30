/**
 * Entitlement check benchmark (issue 16 acceptance): p50/p95/p99 latency of
 * GET /api/v1/customers/{id}/entitlements at a fixed arrival rate (default 1,000 req/s), next to a
 * no-op HTTP baseline measured in the same run on the same machine — a bare node:http server that
 * answers a fixed body of the same size — and the ratio p99 / p99-baseline (target ≤ 2×).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:entitlements
 *   options: --rate 1000 --seconds 20 --customers 500 --rounds 4 --via standalone|listener|route --dir <built app> --profile <dir>
 *
 * `--via standalone` (the default) runs the dedicated listener (lib/api/entitlements-listener.ts)
 * in a process of its own, no build needed; `--via listener` runs `next start` with
 * ENTITLEMENTS_PORT and calls that port (the listener inside the real server process);
 * `--via route` calls the Next route through `next start`. The last two need `npm run build`.
 *
 * Traffic: checks for `--customers` customers, each with a live subscription to a plan with a
 * boolean and a hard-limited metered feature and a few usage events, picked in a fixed shuffled
 * order, all authenticated with one test key. Open loop: requests leave on schedule whether or not
 * earlier ones have answered. Every customer is checked once before the measured run (the cache
 * warm, as on a server that has been up).
 * Both servers get the same warm-up (JIT, sockets), and the run alternates between them in
 * `--rounds` rounds (baseline then Tally, each a slice of the plan) so that both meet the same
 * background load on a shared machine. Printed beside the latencies: each server's
 * CPU time per request (from /proc), the p99 of each 5-second window, and the 1-minute load average
 * before and after each side — compare ratios only from runs with a low load average.
 * The bench uses its own database (tally_ent_bench), dropped and recreated each run.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { recreateDatabase } from "@/db/databases";
import { cpuMs, freePort, load1, openLoop, p99ByWindow, spawnServer, stop, summarize, table, waitForHttp, type Sample } from "../support/open-loop";

const { values: opts } = parseArgs({
  options: {
    rate: { type: "string", default: "1000" },
    seconds: { type: "string", default: "20" },
    customers: { type: "string", default: "500" },
    rounds: { type: "string", default: "4" },
    via: { type: "string", default: "standalone" },
    dir: { type: "string", default: process.cwd() },
    /** Write a CPU profile of the standalone listener into this directory. */
    profile: { type: "string" },
  },
});
const RATE = Number(opts.rate);
const SECONDS = Number(opts.seconds);
const CUSTOMERS = Number(opts.customers);
/** The run is cut into this many rounds, each the baseline then Tally. */
const ROUNDS = Math.max(1, Number(opts.rounds));
const VIA = opts.via === "listener" ? "listener" : opts.via === "route" ? "route" : "standalone";
const APP_DIR = path.resolve(opts.dir);
const BENCH_DB = "tally_ent_bench";
const WARMUP_SECONDS = 3;

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.log("bench:entitlements needs PostgreSQL: set DATABASE_URL=postgres://… (Tally's server reads it). Nothing was run.");
  process.exit(1);
}

type Send = (path: string) => Promise<{ status: number; body: string }>;
const statusOf = (send: Send) => async (p: string) => (await send(p)).status;

function httpSender(port: number, authorization: string | null): { send: Send; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const headers = authorization ? { authorization } : {};
  const send: Send = (p) =>
    new Promise((resolve) => {
      const req = http.request({ host: "127.0.0.1", port, path: p, method: "GET", agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      });
      req.on("error", () => resolve({ status: 0, body: "" }));
      req.end();
    });
  return { send, close: () => agent.destroy() };
}

/** A meter, a plan with a boolean and a hard-limited metered feature, and `n` subscribed customers with some usage. */
async function seed(n: number): Promise<{ key: string; customerIds: string[] }> {
  const { getDb } = await import("@/db/client");
  const { createApiKey } = await import("@/lib/api/keys");
  const { systemActor } = await import("@/lib/actor");
  const { createMeter } = await import("@/lib/services/usage/create-meter");
  const { createProduct } = await import("@/lib/services/catalog/create-product");
  const { createPlan } = await import("@/lib/services/catalog/create-plan");
  const { createCustomer } = await import("@/lib/services/customers/create-customer");
  const { createSubscription } = await import("@/lib/services/subscriptions/create-subscription");
  const { ingestUsageEvents } = await import("@/lib/services/usage/ingest-usage-events");
  const db = await getDb();
  const ctx = { db, actor: systemActor("bench"), now: new Date() };
  const { key, id: keyId } = await createApiKey(db, { name: "bench", livemode: false });
  const apiCtx = { db, actor: { type: "api_key" as const, id: keyId, livemode: false }, now: new Date() };
  await createMeter(apiCtx, { code: "api_calls", name: "API calls", aggregation: "count" });
  const product = await createProduct(ctx, { name: "Bench" });
  const { prices } = await createPlan(ctx, {
    productId: product.id,
    code: "bench-pro",
    name: "Pro",
    interval: "month",
    features: ["sso", { code: "api", meter: "api_calls", limit: 1_000_000, hard: true }],
    prices: [{ currency: "aud", unitAmount: 1000, taxBehavior: "inclusive" }],
  });
  const priceId = prices[0]!.id;
  const customerIds: string[] = [];
  for (let i = 0; i < n; i++) {
    const customer = await createCustomer(ctx, { email: `bench-${i}@example.test`, currency: "aud" });
    await createSubscription(ctx, { customerId: customer.id, items: [{ priceId, quantity: 1 }], collectionMethod: "send_invoice", daysUntilDue: 30 });
    customerIds.push(customer.id);
  }
  await ingestUsageEvents(
    apiCtx,
    customerIds.flatMap((customer, i) => Array.from({ length: 5 }, (_, k) => ({ identifier: `bench-${i}-${k}`, meter: "api_calls", customer, properties: {} }))),
  );
  const { settleUsageThresholds } = await import("@/lib/services/usage/usage-thresholds");
  await settleUsageThresholds();
  return { key, customerIds };
}

async function main(): Promise<void> {
  const { url: benchUrl, version } = await recreateDatabase(baseUrl!, BENCH_DB);
  process.env.DATABASE_URL = benchUrl;
  process.env.TALLY_JOBS = "off";
  delete process.env.STRIPE_SECRET_KEY;
  console.log(`seeding ${CUSTOMERS} subscribed customers in ${BENCH_DB} …`);
  const { key, customerIds } = await seed(CUSTOMERS);
  const { closeDb } = await import("@/db/client");
  await closeDb();

  const logs = path.join(APP_DIR, ".data-bench");
  fs.mkdirSync(logs, { recursive: true });
  const serverEnv = {
    ...process.env,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? "bench-only-secret-0000000000000000",
    NODE_ENV: "production" as const,
    DATABASE_URL: benchUrl,
    TALLY_JOBS: "off",
    TALLY_SEED_DEMO: "0",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const tallyPort = await freePort();
  const basePort = await freePort();
  const children: ChildProcess[] = [];
  let tally: ChildProcess;
  let checkPort = tallyPort;
  if (VIA === "standalone") {
    tally = spawnServer(process.execPath, [...(opts.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(opts.profile)}`] : []), "--import", "tsx", path.join(APP_DIR, "bench/entitlements/listener-server.ts")], { ...serverEnv, PORT: String(tallyPort) }, APP_DIR, path.join(logs, "entitlements.log"));
  } else {
    if (!fs.existsSync(path.join(APP_DIR, ".next", "BUILD_ID"))) {
      console.log(`No production build in ${APP_DIR}/.next: run \`npm run build\` first (or use --via standalone).`);
      process.exit(1);
    }
    const nextPort = await freePort();
    tally = spawnServer(
      process.execPath,
      [path.join(APP_DIR, "node_modules/next/dist/bin/next"), "start", "-p", String(nextPort), "-H", "127.0.0.1"],
      { ...serverEnv, ENTITLEMENTS_PORT: String(tallyPort), ENTITLEMENTS_HOST: "127.0.0.1" },
      APP_DIR,
      path.join(logs, "next.log"),
    );
    if (VIA === "route") checkPort = nextPort;
  }
  children.push(tally);
  const sample = JSON.stringify({ object: "entitlements" });
  try {
    await waitForHttp(`http://127.0.0.1:${tallyPort}/api/health`, tally, 90_000);
    if (checkPort !== tallyPort) await waitForHttp(`http://127.0.0.1:${checkPort}/api/health`, tally, 90_000);
    const checker = httpSender(checkPort, `Bearer ${key}`);
    const pathOf = (id: string) => `/api/v1/customers/${id}/entitlements`;
    // One answer for the baseline's body size, and every customer once (the cache as on a server that has been up).
    const first = await checker.send(pathOf(customerIds[0]!));
    if (first.status !== 200) throw new Error(`the check answered ${first.status}: ${first.body}`);
    for (const id of customerIds) await checker.send(pathOf(id));
    const base = spawnServer(process.execPath, [path.join(APP_DIR, "bench/entitlements/baseline-server.mjs")], { ...serverEnv, PORT: String(basePort), BODY: first.body || sample }, APP_DIR, path.join(logs, "baseline.log"));
    children.push(base);
    await waitForHttp(`http://127.0.0.1:${basePort}/`, base, 20_000);
    const baseline = httpSender(basePort, `Bearer ${key}`);

    const total = Math.round(RATE * SECONDS);
    // A fixed shuffled order of customers (the same for both sides).
    let seedState = 42;
    const rand = () => ((seedState = (seedState * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const plan = Array.from({ length: total }, () => pathOf(customerIds[Math.floor(rand() * customerIds.length)]!));
    const warm = plan.slice(0, Math.round(RATE * WARMUP_SECONDS));
    await openLoop(statusOf(baseline.send), warm, RATE);
    await openLoop(statusOf(checker.send), warm, RATE);

    console.log(`running: ${ROUNDS} rounds of baseline then Tally, ${total} requests each in all, at ${RATE}/s …`);
    // In rounds, baseline then Tally in each, so that both meet the same background load of a shared machine.
    const loads = [load1()];
    const per = Math.ceil(plan.length / ROUNDS);
    const baseRun = { samples: [] as Sample[], maxLagMs: 0, seconds: 0 };
    const tallyRun = { samples: [] as Sample[], maxLagMs: 0, seconds: 0 };
    let baseCpu = 0;
    let tallyCpu = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const part = plan.slice(r * per, (r + 1) * per);
      for (const [run, send, pid, side] of [[baseRun, baseline.send, base.pid, "base"], [tallyRun, checker.send, tally.pid, "tally"]] as const) {
        const c0 = cpuMs(pid);
        const done = await openLoop(statusOf(send), part, RATE);
        const c1 = cpuMs(pid);
        if (c0 !== null && c1 !== null) {
          if (side === "base") baseCpu += c1 - c0;
          else tallyCpu += c1 - c0;
        }
        const offset = run.seconds * 1000;
        run.samples.push(...done.samples.map((x) => ({ ...x, at: x.at + offset })));
        run.maxLagMs = Math.max(run.maxLagMs, done.maxLagMs);
        run.seconds += done.seconds;
      }
      loads.push(load1());
    }

    const rows = [summarize("baseline: node:http, fixed body (no-op)", baseRun.samples), summarize(`Tally GET …/entitlements (${VIA === "standalone" ? "entitlements listener, own process" : VIA === "listener" ? "next start, ENTITLEMENTS_PORT listener" : "next start, Next route"})`, tallyRun.samples)];
    const ratio = rows[1]!.p99 / rows[0]!.p99;
    console.log("");
    console.log(`Entitlement checks, ${RATE} req/s for ${SECONDS} s (${total} requests over ${customerIds.length} customers), PostgreSQL ${version}, HTTP keep-alive`);
    console.log(table(rows));
    console.log("");
    console.log(`p99 / p99-baseline = ${ratio.toFixed(2)}× (target ≤ 2×) — ${ratio <= 2 ? "within target" : "ABOVE target"}`);
    console.log(`server CPU per request: baseline ${(baseCpu / total).toFixed(3)} ms, Tally ${(tallyCpu / total).toFixed(3)} ms`);
    console.log(`p99 per 5 s window (ms): baseline ${p99ByWindow(baseRun.samples)}; Tally ${p99ByWindow(tallyRun.samples)}`);
    console.log(`machine: ${os.cpus().length} cores, load average (1 min) ${loads.join(" → ")} (before the run, then after each round of baseline + Tally)`);
    console.log(`load generator: baseline took ${baseRun.seconds.toFixed(1)} s (max send lag ${baseRun.maxLagMs.toFixed(1)} ms), Tally ${tallyRun.seconds.toFixed(1)} s (max send lag ${tallyRun.maxLagMs.toFixed(1)} ms)`);
    checker.close();
    baseline.close();
  } finally {
    for (const child of children) await stop(child);
  }
  if (VIA === "standalone") {
    const stats = /cache (\{.*\})/.exec(fs.readFileSync(path.join(logs, "entitlements.log"), "utf8"))?.[1];
    if (stats) console.log(`listener cache over the run (warm-up included): ${stats}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
