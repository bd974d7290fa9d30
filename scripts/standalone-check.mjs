// The container image's directory, assembled from the production build exactly as the Dockerfile
// does (`--assemble-only`: the Dockerfile's build stage), then booted the way its CMD does — `node
// server.js` with nothing but environment variables — on a fresh database: it must migrate, answer
// /api/health/ready with every migration applied, and serve the API to a key the bundled command
// line creates. `npm test` runs it after the production build; with DATABASE_URL the fresh database
// is PostgreSQL (as in production), without it PGlite in a temporary directory.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const standalone = path.join(root, ".next", "standalone");

function assemble() {
  if (!fs.existsSync(path.join(standalone, "server.js"))) throw new Error(".next/standalone/server.js is missing: run `next build` first (next.config.ts has output: \"standalone\").");
  // What `next build` leaves out of the standalone directory: the static assets and the migrations the server applies at boot.
  fs.cpSync(path.join(root, ".next", "static"), path.join(standalone, ".next", "static"), { recursive: true });
  if (fs.existsSync(path.join(root, "public"))) fs.cpSync(path.join(root, "public"), path.join(standalone, "public"), { recursive: true });
  fs.rmSync(path.join(standalone, "drizzle"), { recursive: true, force: true });
  fs.cpSync(path.join(root, "drizzle"), path.join(standalone, "drizzle"), { recursive: true });
  // The command line (migrate, create-user, create-api-key …) as one file: the image has no TypeScript toolchain.
  execFileSync(
    path.join(root, "node_modules", ".bin", "esbuild"),
    [
      "cli/tally.ts",
      "--bundle",
      "--platform=node",
      "--format=esm",
      "--target=node20",
      "--log-level=warning",
      `--outfile=${path.join(standalone, "tally-cli.mjs")}`,
      "--external:@node-rs/argon2",
      "--external:@electric-sql/pglite",
      "--external:pg-native",
      // Bundled CommonJS modules call require(); give the ES module one.
      "--banner:js=import { createRequire as __tallyRequire } from 'node:module'; const require = __tallyRequire(import.meta.url);",
    ],
    { cwd: root, stdio: "inherit" },
  );
  console.log(`assembled ${path.relative(root, standalone)}: server.js, .next/static, drizzle/, tally-cli.mjs`);
}

async function freshDatabase(pgName = process.env.STANDALONE_DATABASE ?? "tally_standalone_check") {
  if (!process.env.DATABASE_URL) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tally-standalone-"));
    return { env: { TALLY_DATA_DIR: dir }, label: "PGlite", drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = pgName;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    label: "PostgreSQL",
    drop: async () => {
      const a = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

async function waitReady(url, server, timeoutMs) {
  const until = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode} before it was ready`);
    try {
      const res = await fetch(url);
      last = `${res.status} ${await res.text()}`;
      if (res.ok) return JSON.parse(last.slice(4));
    } catch (error) {
      last = error.message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`not ready within ${timeoutMs / 1000} s: ${last}`);
}

async function check() {
  const port = process.env.STANDALONE_PORT ?? "3299";
  const db = await freshDatabase();
  // Only what a container gets: its environment, no .env file, no checkout around it.
  const env = {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: port,
    HOSTNAME: "127.0.0.1",
    APP_URL: `http://127.0.0.1:${port}`,
    NEXTAUTH_SECRET: "standalone-check-secret-000000000000000",
    TALLY_JOBS: "off",
    TALLY_SEED_DEMO: "0",
    METRICS_TOKEN: "standalone-check-metrics-token",
    ...db.env,
  };
  // The bundled command line: the first admin's sign-in link and a test API key. PGlite allows one
  // process per data directory, so there it runs before the server; on PostgreSQL, beside it.
  const cli = (...args) => execFileSync(process.execPath, ["tally-cli.mjs", ...args], { cwd: standalone, env, encoding: "utf8" });
  const firstAdminAndKey = () => {
    const link = cli("create-user", "--email", "first-admin@example.com", "--role", "super_admin");
    if (!link.includes(`http://127.0.0.1:${port}/`)) throw new Error(`create-user printed no sign-in link:\n${link}`);
    const key = /tk_test_[A-Za-z0-9]+/.exec(cli("create-api-key", "--name", "Standalone check", "--test"))?.[0];
    if (!key) throw new Error("create-api-key printed no key");
    return key;
  };
  let key = db.label === "PGlite" ? firstAdminAndKey() : null;
  const log = [];
  const server = spawn(process.execPath, ["server.js"], { cwd: standalone, env, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout.on("data", (c) => log.push(String(c)));
  server.stderr.on("data", (c) => log.push(String(c)));
  const started = Date.now();
  try {
    const ready = await waitReady(`http://127.0.0.1:${port}/api/health/ready`, server, 120_000);
    if (ready.migrations?.applied !== ready.migrations?.expected) throw new Error(`migrations: ${JSON.stringify(ready.migrations)}`);
    console.log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s on ${db.label}: ${JSON.stringify(ready)}`);
    key ??= firstAdminAndKey();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/customers`, { headers: { authorization: `Bearer ${key}` } });
    const body = await res.json();
    if (res.status !== 200 || body.object !== "list") throw new Error(`GET /api/v1/customers answered ${res.status} ${JSON.stringify(body)}`);
    const page = await fetch(`http://127.0.0.1:${port}/sign-in`);
    const html = await page.text();
    const asset = /\/_next\/static\/[^"']+\.(?:js|css)/.exec(html)?.[0];
    if (page.status !== 200 || !asset) throw new Error(`/sign-in answered ${page.status} without its static assets`);
    const served = await fetch(`http://127.0.0.1:${port}${asset}`);
    if (served.status !== 200) throw new Error(`${asset} answered ${served.status}: .next/static was not copied`);
    console.log("the bundled command line created the first admin's sign-in link and a test key; the API, the sign-in page and its assets answered");
    await checkMetricsAndLogs(port, env.METRICS_TOKEN, res.headers.get("request-id"), log);
    await pdfDownload(`http://127.0.0.1:${port}`, key);
  } catch (error) {
    console.error(log.join("").slice(-4000));
    throw error;
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => (server.exitCode !== null ? r() : server.on("exit", r)));
    await db.drop();
  }
}

/**
 * /metrics from the image (decision 040): refused without METRICS_TOKEN, and with it Prometheus's
 * text format — every line a HELP, a TYPE or a sample — counting the API call just made under its
 * route template; the server's stdout has that request's JSON log line with its id.
 */
async function checkMetricsAndLogs(port, token, requestId, log) {
  const url = `http://127.0.0.1:${port}/metrics`;
  const refused = await fetch(url);
  if (refused.status !== 401) throw new Error(`/metrics without the token answered ${refused.status}`);
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (res.status !== 200 || !res.headers.get("content-type")?.startsWith("text/plain")) throw new Error(`/metrics answered ${res.status} ${res.headers.get("content-type")}`);
  const sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?\d+(\.\d+)?(e[+-]?\d+)?|[Nn]a[Nn]|[+-]Inf)$/;
  const bad = text.split("\n").filter((line) => line && !line.startsWith("# HELP ") && !line.startsWith("# TYPE ") && !sample.test(line));
  if (bad.length > 0) throw new Error(`/metrics is not the exposition format:\n${bad.slice(0, 5).join("\n")}`);
  const counted = 'tally_http_request_duration_seconds_count{method="GET",route="/api/v1/customers",status_class="2xx"} 1';
  if (!text.split("\n").includes(counted)) throw new Error(`/metrics does not have ${counted}`);
  for (const family of ["tally_outbox_pending_events", "tally_mrr_minor_units", "process_cpu_user_seconds_total"]) {
    if (!text.includes(`# TYPE ${family} `)) throw new Error(`/metrics has no ${family}`);
  }
  const line = log
    .join("")
    .split("\n")
    .flatMap((l) => (l.startsWith("{") ? [JSON.parse(l)] : []))
    .find((l) => l.msg === "request" && l.request_id === requestId);
  if (!line || line.route !== "/api/v1/customers" || line.status !== 200) throw new Error(`no JSON log line for request ${requestId}`);
  console.log(`/metrics parsed (${text.split("\n").length} lines) and counted the API call; its log line carries ${requestId}`);
}

/**
 * An invoice's PDF from its hosted link, without a session: the PDF renderer and the document fonts
 * (assets/fonts, traced into the image by next.config.ts) are there. A Polish, Greek and Japanese name
 * needs both fonts; a missing one fails the render (500).
 */
async function pdfDownload(origin, key) {
  const api = async (path, body) => {
    const res = await fetch(`${origin}/api/v1${path}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    const json = await res.json();
    if (res.status >= 400) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const customer = await api("/customers", { email: "pdf-check@example.com", name: "Łódź Ωmega 株式会社", currency: "aud" });
  const invoice = await api("/invoices", { customer: customer.id, collection_method: "send_invoice", auto_advance: true, lines: [{ description: "Onboarding", amount: 1000, tax_behavior: "inclusive" }] });
  if (!invoice.pdf_url?.startsWith(`${origin}/i/`)) throw new Error(`the finalized invoice has no hosted pdf_url: ${JSON.stringify(invoice.pdf_url)}`);
  const res = await fetch(invoice.pdf_url);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200 || res.headers.get("content-type") !== "application/pdf" || bytes.subarray(0, 5).toString("latin1") !== "%PDF-") {
    throw new Error(`${invoice.pdf_url} answered ${res.status} ${res.headers.get("content-type")}: ${bytes.subarray(0, 200).toString("utf8")}`);
  }
  console.log(`the invoice's PDF downloaded from its hosted link without a session (${bytes.byteLength} bytes, fonts embedded)`);
}

/**
 * Two instances of the image on one PostgreSQL, both with the job runner on: an API key's budget
 * is one budget (API_RATE_LIMIT_PER_SECOND=5: a burst of 12 requests spread over both answers 200
 * exactly 5 times; per-instance budgets would give 10), and a renewal falling due while both run
 * their billing run is billed once (a daily plan anchored 20 s ahead; the run ticks each minute).
 */
async function twoInstances() {
  const ports = [Number(process.env.STANDALONE_PORT ?? "3299") + 1, Number(process.env.STANDALONE_PORT ?? "3299") + 2];
  const db = await freshDatabase("tally_two_instances_check");
  const base = {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    HOSTNAME: "127.0.0.1",
    NEXTAUTH_SECRET: "standalone-check-secret-000000000000000",
    TALLY_SEED_DEMO: "0",
    TALLY_JOBS: "on",
    API_RATE_LIMIT_PER_SECOND: "5",
    ...db.env,
  };
  const servers = ports.map((port) => {
    const env = { ...base, PORT: String(port), APP_URL: `http://127.0.0.1:${port}` };
    const log = [];
    const server = spawn(process.execPath, ["server.js"], { cwd: standalone, env, stdio: ["ignore", "pipe", "pipe"] });
    server.stdout.on("data", (c) => log.push(String(c)));
    server.stderr.on("data", (c) => log.push(String(c)));
    return { port, server, log };
  });
  try {
    for (const s of servers) await waitReady(`http://127.0.0.1:${s.port}/api/health/ready`, s.server, 120_000);
    const key = /tk_test_[A-Za-z0-9]+/.exec(execFileSync(process.execPath, ["tally-cli.mjs", "create-api-key", "--name", "Two instances", "--test"], { cwd: standalone, env: { ...base, PORT: String(ports[0]) }, encoding: "utf8" }))?.[0];
    if (!key) throw new Error("create-api-key printed no key");
    const call = async (i, method, path, body) => {
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const res = await fetch(`http://127.0.0.1:${ports[i % 2]}/api/v1${path}`, {
          method,
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (res.status !== 429) {
          const json = await res.json();
          if (res.status >= 400) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
          return json;
        }
        await new Promise((r) => setTimeout(r, 1100));
      }
      throw new Error(`${method} ${path}: still rate limited`);
    };
    const product = await call(0, "POST", "/products", { name: "Two instances" });
    const plan = await call(1, "POST", "/plans", { product: product.id, code: "daily", name: "Daily", interval: "day", prices: [{ currency: "aud", tax_behavior: "exclusive", unit_amount: 1000 }] });
    const price = plan.prices?.[0]?.id ?? (await call(0, "GET", `/prices?plan=${plan.id}`)).data[0].id;
    const customer = await call(1, "POST", "/customers", { email: "two-instances@example.com", name: "Two Instances", currency: "aud" });
    const anchor = new Date(Date.now() + 20_000);
    const subscription = await call(0, "POST", "/subscriptions", { customer: customer.id, items: [{ price }], collection_method: "send_invoice", days_until_due: 7, billing_cycle_anchor: anchor.toISOString() });

    // One budget across both instances.
    await new Promise((r) => setTimeout(r, 1100));
    let statuses = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const t = Date.now();
      statuses = await Promise.all(
        Array.from({ length: 12 }, (_, i) => fetch(`http://127.0.0.1:${ports[i % 2]}/api/v1/customers?limit=1`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status)),
      );
      if (Date.now() - t < 800) break;
      await new Promise((r) => setTimeout(r, 1100));
    }
    const ok = statuses.filter((s) => s === 200).length;
    if (ok !== 5 || statuses.filter((s) => s === 429).length !== 7) throw new Error(`a burst of 12 over two instances at 5/s answered ${JSON.stringify(statuses)}`);
    console.log(`two instances share one API budget: 12 requests at 5/s → 5 × 200, 7 × 429`);

    // The renewal, once: wait for it, then for every runner's next tick to have passed.
    const until = Date.now() + 150_000;
    let renewals = [];
    while (Date.now() < until) {
      const invoices = await call(0, "GET", `/invoices?subscription=${subscription.id}&limit=10`);
      renewals = invoices.data.filter((inv) => inv.billing_reason === "subscription_cycle");
      if (renewals.length > 0) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    if (renewals.length === 0) throw new Error(`no renewal of ${subscription.id} within 150 s of its anchor`);
    // Both runners started together and tick each minute: 20 s on, each has had its tick after the anchor.
    await new Promise((r) => setTimeout(r, 20_000));
    const after = (await call(1, "GET", `/invoices?subscription=${subscription.id}&limit=10`)).data.filter((inv) => inv.billing_reason === "subscription_cycle");
    if (after.length !== 1) throw new Error(`the renewal was billed ${after.length} times: ${after.map((i) => i.id).join(", ")}`);
    console.log(`two instances with their job runners on: the renewal due at ${anchor.toISOString()} was billed once (${after[0].id})`);
  } catch (error) {
    for (const s of servers) console.error(`--- instance on ${s.port}\n${s.log.join("").slice(-3000)}`);
    throw error;
  } finally {
    for (const s of servers) s.server.kill("SIGTERM");
    await Promise.all(servers.map((s) => new Promise((r) => (s.server.exitCode !== null ? r() : s.server.on("exit", r)))));
    await db.drop();
  }
}

assemble();
if (!process.argv.includes("--assemble-only")) {
  await check();
  if (process.env.DATABASE_URL) await twoInstances();
  else console.log("two instances on one database: not run (needs DATABASE_URL: PGlite allows one process)");
}
