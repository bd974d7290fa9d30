/**
 * Outbound webhooks benchmark (issue 20 acceptance; decision 036): Tally's local job runner
 * delivering events to a local receiver that verifies every signature with the `standardwebhooks`
 * library, everything in this one process (as in the server: the runner shares its process).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:webhooks-out
 *   options: --rate 200 --seconds 20 (part a)   --events 4000 --endpoints 1 (part b)
 *
 * a. latency — events written at `--rate` per second (open loop, each in a transaction of its own,
 *    as a billing write would), for `--seconds`; per event, the time from its commit to the
 *    receiver having it (first delivery). The path is the production one: the commit wakes the
 *    runner's outbox pass (LISTEN/NOTIFY; it also polls every 500 ms), which writes the batch's
 *    deliveries and nudges `webhooks.deliver`, whose lanes post them. Target: p99 ≤ 1 s.
 *    One second at the same rate is delivered first, unmeasured (modules loaded, pools open).
 * b. throughput — `--events` events committed in one transaction for `--endpoints` endpoints ("*");
 *    deliveries/s from that commit until the receiver has every delivery.
 *
 * The bench uses its own database (tally_webhooks_out_bench), dropped and recreated each run.
 */
import http from "node:http";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { recreateDatabase } from "@/db/databases";
import { startReceiver } from "@/tests/outbound-webhooks/receiver";
import { load1, openLoop, p99ByWindow, pct } from "../support/open-loop";

const { values: args } = parseArgs({
  options: { rate: { type: "string", default: "200" }, seconds: { type: "string", default: "20" }, events: { type: "string", default: "4000" }, endpoints: { type: "string", default: "1" } },
});
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const bulkEvents = Number(args.events);
const endpointCount = Number(args.endpoints);

const base = process.env.DATABASE_URL;
if (!base) throw new Error("Set DATABASE_URL to a PostgreSQL server (the bench creates tally_webhooks_out_bench on it).");
process.env.DATABASE_URL = (await recreateDatabase(base, "tally_webhooks_out_bench")).url;
process.env.NEXTAUTH_SECRET ??= "bench-only-secret-000000000000000000000";
delete process.env.INNGEST_DEV;
delete process.env.INNGEST_EVENT_KEY;
http.globalAgent.maxSockets = 64;

const { getDb, closeDb } = await import("@/db/client");
const { systemActor } = await import("@/lib/actor");
const { enqueueEvent } = await import("@/lib/events/outbox");
const { startLocalRunner } = await import("@/lib/jobs/local-runner");
const { createWebhookEndpoint } = await import("@/lib/services/webhooks/endpoints");

const db = await getDb();
console.log(`outbound webhooks bench · ${os.cpus().length} cores · load ${load1()} at start`);

const secrets: string[] = [];
const firstSeen = new Map<string, number>();
let received = 0;
const receiver = await startReceiver({
  secrets: () => secrets,
  onRequest: (r) => {
    received++;
    if (!firstSeen.has(r.webhookId)) firstSeen.set(r.webhookId, performance.now());
  },
});
const ctx = { db, actor: systemActor("bench"), now: new Date() };
for (let i = 0; i < endpointCount; i++) secrets.push((await createWebhookEndpoint(ctx, { url: receiver.url, events: ["*"], livemode: false })).secret);
startLocalRunner();

async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > end) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

// Warm-up (not measured): one second at `rate`, as a server in steady state has loaded its modules and opened its connections.
const warm: string[] = [];
await openLoop(
  async (i) => {
    warm.push(await db.transaction((tx) => enqueueEvent(tx, { type: "customer.updated", customerId: `cus_warm${i}`, payload: { customer: `cus_warm${i}` } }, new Date())));
    return 200;
  },
  Array.from({ length: rate }, (_, i) => i),
  rate,
);
await until(() => warm.every((id) => firstSeen.has(id)), 60_000);

// a. latency at `rate` events/s.
const committed = new Map<string, number>();
let n = 0;
const plan = Array.from({ length: rate * seconds }, (_, i) => i);
const start = performance.now();
const loop = await openLoop(
  async (i) => {
    const id = await db.transaction((tx) => enqueueEvent(tx, { type: "customer.updated", customerId: `cus_bench${i}`, payload: { customer: `cus_bench${i}` } }, new Date()));
    committed.set(id, performance.now());
    n++;
    return 200;
  },
  plan,
  rate,
);
const allIn = await until(() => [...committed.keys()].every((id) => firstSeen.has(id)), 60_000);
const samples = [...committed].map(([id, at]) => ({ ms: (firstSeen.get(id) ?? Number.NaN) - at, at: at - start }));
const ms = samples.map((s) => s.ms).filter(Number.isFinite).sort((a, b) => a - b);
console.log(`\na. ${n} events at ${rate}/s over ${loop.seconds.toFixed(1)} s (writer lag max ${loop.maxLagMs.toFixed(1)} ms) · all delivered: ${allIn} · rejected signatures: ${receiver.rejected()} · receiver connections: ${receiver.connections()}`);
console.log("| commit → delivered | p50 ms | p95 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|");
console.log(`| ${ms.length} events | ${pct(ms, 0.5).toFixed(1)} | ${pct(ms, 0.95).toFixed(1)} | ${pct(ms, 0.99).toFixed(1)} | ${(ms.at(-1) ?? Number.NaN).toFixed(1)} |`);
console.log(`p99 by 5 s window: ${p99ByWindow(samples)} · target p99 ≤ 1000 ms: ${pct(ms, 0.99) <= 1000 ? "met" : "missed"}`);

// b. throughput: a backlog committed at once.
const before = received;
const t0 = performance.now();
await db.transaction(async (tx) => {
  for (let i = 0; i < bulkEvents; i++) await enqueueEvent(tx, { type: "customer.created", customerId: `cus_bulk${i}`, payload: { customer: `cus_bulk${i}` } }, new Date());
});
const commitMs = performance.now() - t0;
const t1 = performance.now();
const expected = bulkEvents * endpointCount;
const drained = await until(() => received - before >= expected, 300_000);
const elapsed = (performance.now() - t1) / 1000;
console.log(`\nb. ${bulkEvents} events × ${endpointCount} endpoint(s) committed in one transaction (${commitMs.toFixed(0)} ms to write): ${received - before} deliveries in ${elapsed.toFixed(2)} s = ${((received - before) / elapsed).toFixed(0)} deliveries/s · all delivered: ${drained} · rejected: ${receiver.rejected()} · receiver connections: ${receiver.connections()}`);
console.log(`load ${load1()} at end`);

await receiver.close();
await closeDb();
process.exit(0);
