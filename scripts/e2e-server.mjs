// Starts the production build for Playwright on a database of its own: a fresh PostgreSQL database
// when DATABASE_URL is set, a fresh PGlite directory otherwise.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import pg from "pg";

const port = process.env.E2E_PORT ?? "3210";
// Two checkouts may run the browser tests at once on one PostgreSQL: E2E_DATABASE names theirs.
const database = process.env.E2E_DATABASE ?? "tally_e2e";
if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`E2E_DATABASE must be a plain identifier, got ${database}`);
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  NEXTAUTH_SECRET: "e2e-secret-for-playwright-only-000000",
  NEXTAUTH_URL: `http://127.0.0.1:${port}`,
  APP_URL: `http://127.0.0.1:${port}`,
  TALLY_SEED_DEMO: "0",
  SIGNIN_LIMIT_PER_IP: "1000",
  // Every browser test signs up cards from 127.0.0.1; the limit itself is covered by tests/payments/card-testing.test.ts.
  CARD_SETUPS_PER_IP_PER_HOUR: "1000",
  // The browser and the API fixtures connect from 127.0.0.1, an ordinary client; e2e/client-address.spec.ts
  // also connects from 127.0.0.2 (another client) and from 127.0.0.3, standing in for a reverse proxy.
  TRUSTED_PROXIES: "127.0.0.3",
};

if (process.env.DATABASE_URL) {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.query(`create database ${database}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${database}`;
  env.DATABASE_URL = url.toString();
} else {
  fs.rmSync(".data-e2e", { recursive: true, force: true });
  env.TALLY_DATA_DIR = ".data-e2e";
}

fs.rmSync(".e2e", { recursive: true, force: true });
execFileSync("node_modules/.bin/tsx", ["scripts/e2e-prepare.ts"], { env, stdio: "inherit" });

// The server's stdout is also kept in .e2e/server.log: on the mailbox transport sign-in and payment
// links are printed there (never stored), and the fixtures read them as their recipient would.
const log = fs.createWriteStream(".e2e/server.log");
const server = spawn("node_modules/.bin/next", ["start", "-p", port, "-H", "127.0.0.1"], { env, stdio: ["inherit", "pipe", "inherit"] });
server.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  log.write(chunk);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
