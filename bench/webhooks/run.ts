/**
 * Inbound Stripe webhook benchmark (issue 4 acceptance): p50/p95/p99 latency of
 * POST /api/webhooks/stripe (it answers once the event is recorded; the event is processed after
 * the response by the server's in-process queue, and the run waits for that to drain before its
 * check line) at a fixed arrival rate, next to a raw-limit baseline measured in the
 * same run — a bare node:http server that parses the body and does one INSERT on the same
 * PostgreSQL — and the ratio p99 / p99-baseline (target ≤ 2×).
 *
 *   npm run build
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:webhooks
 *   options: --rate 200 --seconds 20 --fresh 0.15 --dir <built app> --in-process --jobs off|on --via listener|route
 *
 * `--via listener` (the default) delivers to the dedicated webhook port the Next server opens when
 * STRIPE_WEBHOOK_PORT is set (same process, same handler as the route, without Next's request
 * pipeline); `--via route` delivers to POST /api/webhooks/stripe through Next.
 *
 * Traffic: signed events (the SDK's generateTestHeaderString), mostly redeliveries of events
 * already sent plus `payment_intent.succeeded` for seeded payments whose charge succeeded at the
 * sandbox gateway while Tally never recorded it (so each new event re-reads the gateway and pays an
 * invoice). Open loop: requests leave on schedule whether or not earlier ones have answered.
 * `--in-process` calls the route handler and an in-process baseline directly, for when the
 * production server cannot be started; the output says which mode ran.
 * `--jobs on` runs the local job runner (outbox, sweeper, billing run, …) in the measured server,
 * as a default self-hosted install does; off (the default) measures the endpoint alone.
 * The bench uses its own database (tally_bench_webhooks), dropped and recreated each run.
 *
 * Besides the latencies it prints what explains them, because the machine is shared and numbers
 * are noisy: each server's CPU time per request (from /proc; for Tally the processing of the new
 * events included), the p99 of each 5-second window (a tail spread over the run, one stall, or a
 * slow start), and the 1-minute load average before and after each side. A server whose CPU time per request exceeds
 * its share of a loaded machine queues without bound, whatever its code does; compare ratios only
 * from runs with a low load average. Nothing here favours either side: both get the same events,
 * the same warm-up and the same PostgreSQL; Tally's after-response work is counted in its CPU time
 * and in the drain time on the check line.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import Stripe from "stripe";
import { recreateDatabase } from "@/db/databases";
import { cpuMs, freePort, load1, openLoop, p99ByWindow, spawnServer, stop, summarize, table, waitForHttp, type Sample as LoopSample } from "../support/open-loop";

const { values: opts } = parseArgs({
  options: {
    rate: { type: "string", default: "200" },
    seconds: { type: "string", default: "20" },
    fresh: { type: "string", default: "0.15" },
    dir: { type: "string", default: process.cwd() },
    "in-process": { type: "boolean", default: false },
    jobs: { type: "string", default: "off" },
    /** Deliver to `next start` (the route) or to the dedicated listener (STRIPE_WEBHOOK_PORT) in the same server process. */
    via: { type: "string", default: "listener" },
  },
});
const VIA = opts.via === "route" ? "route" : "listener";
const RATE = Number(opts.rate);
const SECONDS = Number(opts.seconds);
/** The share of deliveries that are new events (the rest are redeliveries). */
const FRESH_SHARE = Number(opts.fresh);
const APP_DIR = path.resolve(opts.dir);
const IN_PROCESS = opts["in-process"];
/** TALLY_JOBS for the server: "on" runs the local job runner (outbox, sweeper, …) in the measured process, as a default self-hosted install does. */
const JOBS = opts.jobs === "on" ? "on" : "off";
const SECRET = "whsec_bench_webhooks_0123456789abcdef";
const BENCH_DB = "tally_bench_webhooks";
const WARMUP = 150;

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.log("bench:webhooks needs PostgreSQL: set DATABASE_URL=postgres://… (the endpoint and its baseline share that server). Nothing was run.");
  process.exit(1);
}

interface StripeEventBody {
  id: string;
  type: string;
  body: string;
  fresh: boolean;
}

type Sample = LoopSample & { fresh: boolean };

type Send = (event: StripeEventBody) => Promise<number>;

/**
 * Seed payments whose charge succeeded at the sandbox gateway but was never recorded (the crash
 * window of R2): each `payment_intent.succeeded` then does the real work — re-read, pay, activate.
 */
async function seedUnrecordedPayments(count: number): Promise<{ id: string; invoiceId: string; amount: number; currency: string; gatewayId: string }[]> {
  const { getDb } = await import("@/db/client");
  const { payments, plans, prices, products, sandboxCharges } = await import("@/db/schema");
  const { systemActor } = await import("@/lib/actor");
  const { newId, randomToken } = await import("@/lib/ids");
  const { sandboxGateway } = await import("@/lib/payments/sandbox/sandbox-gateway");
  const { createCustomer } = await import("@/lib/services/customers/create-customer");
  const { attachPaymentMethod } = await import("@/lib/services/payment-methods/attach-payment-method");
  const { createSubscription } = await import("@/lib/services/subscriptions/create-subscription");
  const { eq, inArray } = await import("drizzle-orm");

  const db = await getDb();
  const ctx = { db, actor: systemActor("bench"), now: new Date() };
  const productId = newId("product");
  await db.insert(products).values({ id: productId, name: "Bench" });
  const planId = newId("plan");
  await db.insert(plans).values({ id: planId, productId, code: `bench-${randomToken(6).toLowerCase()}`, name: "Bench", interval: "month", intervalCount: 1, trialPeriodDays: 0 });
  const priceId = newId("price");
  await db.insert(prices).values({ id: priceId, planId, currency: "aud", version: 1, taxBehavior: "inclusive", unitAmount: 2900 });

  const realCharge = sandboxGateway.charge.bind(sandboxGateway);
  sandboxGateway.charge = async (request) => {
    await realCharge(request);
    throw new Error("simulated crash after the gateway answered");
  };
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        next += 1;
        const customer = await createCustomer(ctx, { email: `bench_${randomToken(10).toLowerCase()}@example.test`, name: "Bench", currency: "aud", timezone: "Australia/Sydney", address: { country: "AU" } });
        await attachPaymentMethod(ctx, { customerId: customer.id, token: "pm_card_visa" });
        await createSubscription(ctx, { customerId: customer.id, items: [{ priceId, quantity: 1 }] }).catch((error: unknown) => {
          if (!(error instanceof Error) || !error.message.startsWith("simulated crash")) throw error;
        });
        ids.push(customer.id);
      }
    }),
  );
  sandboxGateway.charge = realCharge;

  const rows = await db.select().from(payments).where(inArray(payments.customerId, ids));
  const out = [];
  for (const p of rows) {
    if (p.status !== "pending") throw new Error(`seeded payment ${p.id} is ${p.status}`);
    const [charge] = await db.select().from(sandboxCharges).where(eq(sandboxCharges.idempotencyKey, p.idempotencyKey));
    const gatewayId = (charge?.result as { gatewayId?: string } | undefined)?.gatewayId;
    if (!gatewayId) throw new Error(`no gateway charge for ${p.id}`);
    out.push({ id: p.id, invoiceId: p.invoiceId, amount: p.amount, currency: p.currency, gatewayId });
  }
  return out;
}

function eventBody(id: string, type: string, object: Record<string, unknown>): string {
  const event = {
    id,
    object: "event",
    api_version: "2025-10-29.clover",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
  return JSON.stringify(event, null, 2);
}

function intentEvent(n: number, p: { id: string; invoiceId: string; amount: number; currency: string; gatewayId: string }): StripeEventBody {
  const id = `evt_bench_pi_${n}`;
  const object = { id: p.gatewayId, object: "payment_intent", amount: p.amount, currency: p.currency, status: "succeeded", metadata: { invoice_id: p.invoiceId, payment_id: p.id }, last_payment_error: null };
  return { id, type: "payment_intent.succeeded", body: eventBody(id, "payment_intent.succeeded", object), fresh: true };
}

/** `total` deliveries: the new events spread evenly, the rest redeliveries of events already sent (warm-up included). */
function schedule(warm: StripeEventBody[], fresh: StripeEventBody[], total: number): StripeEventBody[] {
  const sent = [...warm];
  const out: StripeEventBody[] = [];
  let f = 0;
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < total; i++) {
    if (f < fresh.length && i >= Math.floor((f * total) / fresh.length)) {
      const e = fresh[f++]!;
      out.push(e);
      sent.push(e);
    } else {
      const e = sent[Math.floor(random() * sent.length)]!;
      out.push({ ...e, fresh: false });
    }
  }
  return out;
}

function signed(event: StripeEventBody): Record<string, string> {
  return {
    "content-type": "application/json; charset=utf-8",
    "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload: event.body, secret: SECRET }),
  };
}

function httpSender(port: string | number, pathName: string): { send: Send; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const send: Send = (event) =>
    new Promise((resolve) => {
      const req = http.request({ host: "127.0.0.1", port, path: pathName, method: "POST", agent, headers: { ...signed(event), "content-length": Buffer.byteLength(event.body) } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", () => resolve(0));
      req.end(event.body);
    });
  return { send, close: () => agent.destroy() };
}

/** Open loop at RATE per second (bench/support/open-loop.ts), each sample marked new or redelivery. */
async function load(send: Send, events: StripeEventBody[]): Promise<{ samples: Sample[]; maxLagMs: number; seconds: number }> {
  const run = await openLoop(send, events, RATE);
  return { ...run, samples: run.samples.map((x) => ({ ...x, fresh: events[x.index]!.fresh })) };
}










async function main(): Promise<void> {
  const { url: benchUrl, version } = await recreateDatabase(baseUrl!, BENCH_DB);
  process.env.DATABASE_URL = benchUrl;
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
  process.env.TALLY_JOBS = "off";
  delete process.env.STRIPE_SECRET_KEY;

  const total = Math.round(RATE * SECONDS);
  const freshCount = Math.ceil(total * FRESH_SHARE);
  const warmHeavy = 50;
  console.log(`seeding ${freshCount + warmHeavy} unrecorded payments in ${BENCH_DB} …`);
  const seeded = await seedUnrecordedPayments(freshCount + warmHeavy);
  const warm: StripeEventBody[] = [
    ...seeded.slice(0, warmHeavy).map((p, i) => intentEvent(100_000 + i, p)),
    ...Array.from({ length: WARMUP - warmHeavy }, (_, i) => {
      const id = `evt_bench_warm_${i}`;
      return { id, type: "customer.updated", body: eventBody(id, "customer.updated", { id: `cus_warm_${i}`, object: "customer" }), fresh: false };
    }),
  ];
  const fresh = seeded.slice(warmHeavy).map((p, i) => intentEvent(i, p));
  const plan = schedule(warm, fresh, total);

  let tally: { send: Send; close: () => void };
  let baseline: { send: Send; close: () => void };
  /** The processes whose CPU time is counted: the servers, or this one in-process (load generator included). */
  let tallyPid: number | undefined = process.pid;
  let basePid: number | undefined = process.pid;
  const children: ChildProcess[] = [];
  const logs = path.join(APP_DIR, ".data-bench");
  fs.mkdirSync(logs, { recursive: true });
  // With DATABASE_URL the server refuses to start without NEXTAUTH_SECRET (lib/auth/secret.ts).
  const serverEnv = { ...process.env, NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? "bench-only-secret-0000000000000000", NODE_ENV: "production" as const, DATABASE_URL: benchUrl, STRIPE_WEBHOOK_SECRET: SECRET, TALLY_JOBS: JOBS, TALLY_SEED_DEMO: "0", NEXT_TELEMETRY_DISABLED: "1" };

  if (IN_PROCESS) {
    const { POST } = await import("@/app/api/webhooks/stripe/route");
    tally = {
      send: async (event) => (await POST(new Request("http://localhost/api/webhooks/stripe", { method: "POST", headers: signed(event), body: event.body }))).status,
      close: () => undefined,
    };
    const pool = new pg.Pool({ connectionString: benchUrl, max: 10 });
    await pool.query("create table if not exists bench_webhook_baseline (id text primary key, type text not null, payload jsonb not null, received_at timestamptz not null default now())");
    baseline = {
      send: async (event) => {
        const parsed = JSON.parse(event.body) as { id: string; type: string };
        await pool.query("insert into bench_webhook_baseline (id, type, payload) values ($1, $2, $3) on conflict (id) do nothing", [parsed.id, parsed.type, parsed]);
        return 200;
      },
      close: () => void pool.end(),
    };
  } else {
    if (!fs.existsSync(path.join(APP_DIR, ".next", "BUILD_ID"))) {
      console.log(`No production build in ${APP_DIR}/.next: run \`npm run build\` first (or pass --in-process).`);
      process.exit(1);
    }
    const tallyPort = await freePort();
    const basePort = await freePort();
    const listenerPort = await freePort();
    const nextEnv = VIA === "listener" ? { ...serverEnv, STRIPE_WEBHOOK_PORT: String(listenerPort), STRIPE_WEBHOOK_HOST: "127.0.0.1" } : serverEnv;
    const next = spawnServer(process.execPath, [path.join(APP_DIR, "node_modules/next/dist/bin/next"), "start", "-p", String(tallyPort), "-H", "127.0.0.1"], nextEnv, APP_DIR, path.join(logs, "next.log"));
    const base = spawnServer(process.execPath, [path.join(APP_DIR, "bench/webhooks/baseline-server.mjs")], { ...serverEnv, PORT: String(basePort) }, APP_DIR, path.join(logs, "baseline.log"));
    children.push(next, base);
    tallyPid = next.pid;
    basePid = base.pid;
    await waitForHttp(`http://127.0.0.1:${tallyPort}/api/health`, next, 60_000);
    await waitForHttp(`http://127.0.0.1:${basePort}/`, base, 20_000);
    tally = httpSender(VIA === "listener" ? listenerPort : tallyPort, "/api/webhooks/stripe");
    baseline = httpSender(basePort, "/");
  }

  try {
    // Warm-up: the same events to both (JIT, connection pools, the route's first compile).
    for (const e of warm) await baseline.send(e);
    for (const e of warm) await tally.send(e);
    console.log(`running: baseline, then Tally, each ${total} requests at ${RATE}/s …`);
    const loadBefore = load1();
    const baseCpu0 = cpuMs(basePid);
    const base = await load(baseline.send, plan);
    const baseCpu = cpuMs(basePid);
    const loadBetween = load1();
    const tallyCpu0 = cpuMs(tallyPid);
    const run = await load(tally.send, plan);

    const rows = [
      summarize("baseline: node:http + 1 INSERT", base.samples),
      summarize(`Tally POST /api/webhooks/stripe${IN_PROCESS ? " (in-process)" : VIA === "listener" ? " (next start, STRIPE_WEBHOOK_PORT listener)" : " (next start, Next route)"}`, run.samples),
      summarize("  of which new payment_intent.succeeded", run.samples.filter((s) => s.fresh)),
      summarize("  of which redeliveries", run.samples.filter((s) => !s.fresh)),
    ];
    const ratio = rows[1]!.p99 / rows[0]!.p99;

    const { getDb } = await import("@/db/client");
    const { sql } = await import("drizzle-orm");
    const db = await getDb();
    const distinct = new Set([...warm, ...plan].map((e) => e.id)).size;
    // The route answers once the event is recorded and processes it after the response: wait for that to drain.
    const drainStart = performance.now();
    let processed = { rows: [] as { n: number }[] };
    for (;;) {
      processed = (await db.execute(sql`select count(*)::int as n from stripe_events where processed_at is not null`)) as unknown as { rows: { n: number }[] };
      if ((processed.rows[0]?.n ?? 0) >= distinct || performance.now() - drainStart > 60_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const drainedMs = performance.now() - drainStart;
    const tallyCpu = cpuMs(tallyPid);
    const loadAfter = load1();
    const paid = (await db.execute(sql`select count(*)::int as n from payments where status = 'succeeded'`)) as unknown as { rows: { n: number }[] };

    console.log("");
    console.log(`Inbound Stripe webhooks, ${RATE} req/s for ${SECONDS} s (${total} requests: ${fresh.length} new payment_intent.succeeded, ${total - fresh.length} redeliveries), PostgreSQL ${version}, ${IN_PROCESS ? "IN-PROCESS fallback (no HTTP)" : "HTTP keep-alive to `next start` and to the baseline server"}`);
    console.log(table(rows));
    console.log("");
    console.log(`p99 / p99-baseline = ${ratio.toFixed(2)}× (target ≤ 2×) — ${ratio <= 2 ? "within target" : "ABOVE target"}`);
    const perRequest = (a: number | null, b: number | null) => (a === null || b === null ? "n/a" : `${((b - a) / total).toFixed(3)} ms`);
    console.log(
      `server CPU per request: baseline ${perRequest(baseCpu0, baseCpu)}, Tally ${perRequest(tallyCpu0, tallyCpu)} (the processing of the new events included, until drained)${IN_PROCESS ? " — in-process: both include the load generator" : ""}`,
    );
    console.log(`p99 per 5 s window (ms): baseline ${p99ByWindow(base.samples)}; Tally ${p99ByWindow(run.samples)}`);
    console.log(`machine: ${os.cpus().length} cores, load average (1 min) ${loadBefore} before the baseline, ${loadBetween} before Tally, ${loadAfter} after; server jobs ${JOBS}`);
    console.log(`load generator: baseline took ${base.seconds.toFixed(1)} s (max send lag ${base.maxLagMs.toFixed(1)} ms), Tally ${run.seconds.toFixed(1)} s (max send lag ${run.maxLagMs.toFixed(1)} ms)`);
    console.log(`check: ${processed.rows[0]?.n} events processed of ${distinct} distinct sent (after-response processing drained ${drainedMs.toFixed(0)} ms after the last answer); ${paid.rows[0]?.n} payments succeeded of ${fresh.length + warmHeavy} seeded`);
  } finally {
    tally.close();
    baseline.close();
    for (const child of children) await stop(child);
    const { closeDb } = await import("@/db/client");
    await closeDb();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
