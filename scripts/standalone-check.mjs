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

async function freshDatabase() {
  if (!process.env.DATABASE_URL) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tally-standalone-"));
    return { env: { TALLY_DATA_DIR: dir }, label: "PGlite", drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = process.env.STANDALONE_DATABASE ?? "tally_standalone_check";
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
  } catch (error) {
    console.error(log.join("").slice(-4000));
    throw error;
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => (server.exitCode !== null ? r() : server.on("exit", r)));
    await db.drop();
  }
}

assemble();
if (!process.argv.includes("--assemble-only")) await check();
