import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq, sql } from "drizzle-orm";
import { getDb, queryRows, type Db } from "@/db/client";
import { DEMO_BUSINESS, seedDemo } from "@/db/seed";
import { sellerFromSettings } from "@/lib/documents/seller";
import { sellerTaxLabel } from "@/lib/documents/tax-content";
import { loadAbnWarning } from "@/lib/services/settings/abn-warning";
import { getSetting } from "@/lib/services/settings/settings";
import { validateTaxId } from "@/lib/tax/tax-id";
import { apiKeys, customers, invoices, plans, prices, products, roles, users } from "@/db/schema";
import { tallyAdapter } from "@/lib/auth/adapter";
import { verifyPassword } from "@/lib/auth/password";
import { authSecret, MISSING_AUTH_SECRET } from "@/lib/auth/secret";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { ctx, NOW } from "../services/support";
import { makeCatalog, makeCustomer } from "../factories";

let db: Db;
const tempDirs: string[] = [];

beforeAll(async () => {
  db = await getDb();
});

afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tally-cli-test-"));
  tempDirs.push(dir);
  return dir;
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI as a child process with a clean database environment plus `env` (null: unset). */
function cli(args: string[], env: Record<string, string | null>): Promise<CliResult> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.DATABASE_URL;
  delete base.TALLY_DATA_DIR;
  delete base.TALLY_TEST_BASE_URL;
  for (const [name, value] of Object.entries(env)) {
    if (value === null) delete base[name];
    else base[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(process.cwd(), "node_modules/.bin/tsx"), ["cli/tally.ts", ...args], {
      cwd: process.cwd(),
      env: base,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function counts() {
  const [row] = await queryRows<Record<string, number>>(
    db,
    sql`select
      (select count(*)::int from ${users}) as users,
      (select count(*)::int from ${customers}) as customers,
      (select count(*)::int from ${products}) as products,
      (select count(*)::int from ${plans}) as plans,
      (select count(*)::int from ${prices}) as prices,
      (select count(*)::int from ${apiKeys}) as api_keys`,
  );
  return row;
}

const onPostgres = !!process.env.DATABASE_URL;

describe("seedDemo", () => {
  it("fills an empty database: five users with the five roles, three plans and metered API calls, Starter at AUD 10.00 inclusive, a test API key", async () => {
    expect(await counts()).toEqual({ users: 0, customers: 0, products: 0, plans: 0, prices: 0, api_keys: 0 });
    const seeded = await seedDemo(db, NOW, { history: false });
    expect(seeded?.apiKey).toMatch(/^tk_test_[0-9A-Za-z]{32}$/);

    const people = await db.select().from(users).orderBy(asc(users.email));
    expect(people).toHaveLength(5);
    expect(people.map((u) => u.role).sort()).toEqual([...roles].sort());
    expect(people.every((u) => u.emailVerifiedAt?.getTime() === NOW.getTime())).toBe(true);
    const subscriber = people.find((u) => u.role === "subscriber");
    expect(subscriber?.customerId).toMatch(/^cus_/);
    expect(people.filter((u) => u.customerId !== null)).toHaveLength(1);
    expect(await verifyPassword(subscriber?.passwordHash, "tally-demo-pass")).toBe(true);

    const planRows = await db.select().from(plans).orderBy(asc(plans.sortOrder));
    expect(planRows.map((p) => [p.code, p.interval, p.trialPeriodDays])).toEqual([
      ["starter", "month", 0],
      ["pro", "month", 14],
      ["starter-annual", "year", 0],
      ["api-calls", "month", 0],
    ]);
    const starter = planRows[0];
    const starterPrices = await db.select().from(prices).where(eq(prices.planId, starter?.id ?? ""));
    expect(starterPrices.find((p) => p.currency === "aud")).toMatchObject({ unitAmount: 1000, taxBehavior: "inclusive", version: 1, active: true, billingScheme: "per_unit" });

    const [key] = await db.select().from(apiKeys);
    expect(key).toMatchObject({ name: "Demo key", livemode: false, createdBy: "seed", hash: createHash("sha256").update(seeded?.apiKey ?? "").digest("hex") });
    expect(await counts()).toEqual({ users: 5, customers: 1, products: 1, plans: 4, prices: 6, api_keys: 1 });
  });

  it("bills as a made-up business whose ABN is well-formed, so its tax invoices carry one and the console does not warn", async () => {
    const profile = await getSetting(db, "business.profile");
    expect(profile).toEqual(DEMO_BUSINESS);
    expect(profile.name).toBe("Tally Demo Pty Ltd");
    expect(validateTaxId("au_abn", profile.taxNumber)).toMatchObject({ ok: true, value: "10000000000" });
    expect(sellerTaxLabel((await sellerFromSettings(db)).taxNumber)).toBe("ABN 10 000 000 000");
    expect(await loadAbnWarning(db, NOW)).toBeNull();
  });

  it("does nothing the second time: returns null and creates no rows", async () => {
    const before = await counts();
    expect(before?.users).toBe(5);
    expect(await seedDemo(db, NOW, { history: false })).toBeNull();
    expect(await counts()).toEqual(before);
  });
});

describe("tally CLI", () => {
  it.skipIf(!onPostgres)("create-api-key prints a tk_test_ key, stored hashed (needs PostgreSQL: PGlite here is in memory, out of a child's reach)", async () => {
    const url = process.env.DATABASE_URL ?? "";
    const result = await cli(["create-api-key", "--name", "CLI made", "--test"], { DATABASE_URL: url });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const printed = result.stdout.match(/tk_test_[0-9A-Za-z]{32}/g);
    expect(printed).toHaveLength(1);
    const key = printed?.[0] ?? "";
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.name, "CLI made"));
    expect(row).toMatchObject({ livemode: false, createdBy: "cli", hash: createHash("sha256").update(key).digest("hex") });
    expect(result.stdout).toContain(row?.id ?? "?");
  });

  it.skipIf(!onPostgres)("create-user without a password prints the new admin's one-time sign-in link, which next-auth accepts once", async () => {
    const result = await cli(["create-user", "--email", "First.Admin@example.test", "--role", "super_admin"], { DATABASE_URL: process.env.DATABASE_URL ?? "", APP_URL: "https://billing.example.test" });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const printed = result.stdout.match(/https:\/\/billing\.example\.test\/api\/auth\/callback\/email\?\S+/g);
    expect(printed).toHaveLength(1);
    const link = new URL(printed?.[0] ?? "");
    expect(Object.fromEntries(link.searchParams)).toMatchObject({ callbackUrl: "/admin", email: "first.admin@example.test" });
    const token = link.searchParams.get("token") ?? "";
    // What next-auth's callback does with the link: the token's hash with the shared secret, used once.
    const adapter = tallyAdapter();
    const hashed = createHash("sha256").update(`${token}${authSecret()}`).digest("hex");
    const used = await adapter.useVerificationToken?.({ identifier: "first.admin@example.test", token: hashed });
    expect(used?.expires.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(await adapter.useVerificationToken?.({ identifier: "first.admin@example.test", token: hashed })).toBeNull();
    // Only the hash is stored.
    expect(JSON.stringify(await queryRows(db, sql`select * from verification_tokens`))).not.toContain(token);
  });

  it.skipIf(!onPostgres)("create-user without a password refuses, in one line, when DATABASE_URL is set without NEXTAUTH_SECRET", async () => {
    const result = await cli(["create-user", "--email", "second@example.test", "--role", "super_admin"], { DATABASE_URL: process.env.DATABASE_URL ?? "", NEXTAUTH_SECRET: null });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(MISSING_AUTH_SECRET);
    expect(await db.select().from(users).where(eq(users.email, "second@example.test"))).toEqual([]);
  });

  it("create-user with an unknown role exits 1 listing the roles", async () => {
    const env: Record<string, string> = onPostgres ? { DATABASE_URL: process.env.DATABASE_URL ?? "" } : { TALLY_DATA_DIR: "memory://" };
    const before = await counts();
    const result = await cli(["create-user", "--email", "mallory@example.test", "--role", "admin"], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Unknown role "admin"');
    expect(result.stderr).toContain(`Roles: ${roles.join(", ")}.`);
    expect(result.stdout).not.toContain("Created");
    expect(await counts()).toEqual(before);
  });

  it("on PGlite, refuses while the server holds the data directory (server.pid names a live process)", async () => {
    const dataDir = tempDir();
    // The test runner itself plays the running server: a live pid that is not the CLI's own.
    fs.writeFileSync(path.join(dataDir, "server.pid"), String(process.pid));
    const result = await cli(["create-api-key", "--name", "Blocked", "--test"], { TALLY_DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The Tally server (pid ${process.pid}) has the embedded database open`);
    expect(result.stdout).not.toMatch(/tk_test_/);
    // It stopped before opening the database: no PGlite files were created.
    expect(fs.readdirSync(dataDir)).toEqual(["server.pid"]);
  });

  it.skipIf(!onPostgres)("(needs PostgreSQL) bill-due bills what is due now through the billing run and says what it did; again, nothing", async () => {
    // A monthly subscription started 40 days ago: its first renewal is due.
    const started = new Date(Date.now() - 40 * 86_400_000);
    const catalog = await makeCatalog(db);
    const customer = await makeCustomer(ctx(db, started));
    const { subscription } = await createSubscription(ctx(db, started), { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    const env = { DATABASE_URL: process.env.DATABASE_URL ?? "" };
    const first = await cli(["bill-due"], env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Billed [1-9]\d* subscriptions? due by .*: [1-9]\d* steps?, [1-9]\d* renewals in batches\./);
    const renewals = await db.select().from(invoices).where(eq(invoices.subscriptionId, subscription.id));
    expect(renewals.map((i) => [i.billingReason, i.status])).toEqual([["subscription_create", "paid"], ["subscription_cycle", "paid"]]);
    const again = await cli(["bill-due"], env);
    expect(again.stdout).toContain("Billed 0 subscriptions");
    expect(await db.select().from(invoices).where(eq(invoices.subscriptionId, subscription.id))).toHaveLength(2);
    const bad = await cli(["bill-due", "--limit", "0"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe("bill-due --limit needs a whole number above 0.");
  }, 60_000);
});
