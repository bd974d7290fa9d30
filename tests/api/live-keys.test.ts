import { spawn } from "node:child_process";
import path from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb, type Db } from "@/db/client";
import { apiKeys, auditLog } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { authenticateApiKey, createApiKey } from "@/lib/api/keys";
import { LIVE_MODE_NEEDS_STRIPE } from "@/lib/payments/mode";
import { createUser } from "@/lib/services/users/create-user";
import { call, newKey, postThing, problemOf } from "./support";

// Live mode moves real money; the sandbox gateway cannot. While it is the gateway no tk_live_ key
// is created (service, console, CLI) and none is accepted.
const session: { uid?: string } = {};
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ origin: "http://tally.test", host: "tally.test" }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
}));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (session.uid ? { uid: session.uid } : null),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

delete process.env.STRIPE_SECRET_KEY;

let db: Db;
beforeAll(async () => {
  db = await getDb();
});

const keysNamed = async (name: string) => db.select().from(apiKeys).where(eq(apiKeys.name, name));

/** Run the CLI as a child process on this test's database (or an in-memory one on PGlite). */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.STRIPE_SECRET_KEY;
  if (!process.env.DATABASE_URL) env.TALLY_DATA_DIR = "memory://";
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(process.cwd(), "node_modules/.bin/tsx"), ["cli/tally.ts", ...args], { cwd: process.cwd(), env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("live API keys need Stripe as the gateway", () => {
  it("the service refuses to create a tk_live_ key while the sandbox takes payments, and writes nothing", async () => {
    await expect(createApiKey(db, { name: "Live on the sandbox", livemode: true, createdBy: "test" })).rejects.toMatchObject({ code: "validation_failed", userMessage: LIVE_MODE_NEEDS_STRIPE });
    expect(await keysNamed("Live on the sandbox")).toEqual([]);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "api_key.created"))).toEqual([]);
    // A test key is fine.
    expect((await createApiKey(db, { name: "Test on the sandbox", livemode: false })).key).toMatch(/^tk_test_/);
  });

  it("a live key made while Stripe was the gateway is refused, with the reason, once the sandbox is back; test keys still work", async () => {
    const live = await newKey(true);
    expect(await authenticateApiKey(db, `Bearer ${live.key}`)).toMatchObject({ id: live.id, livemode: true });
    expect((await call(postThing, { key: live.key, body: { name: "Live", amount: 100 } })).status).toBe(201);

    delete process.env.STRIPE_SECRET_KEY;
    const refused = await call(postThing, { key: live.key, body: { name: "Live again", amount: 100 } });
    expect(refused.status).toBe(401);
    expect(await problemOf(refused)).toMatchObject({ code: "unauthenticated", detail: `${LIVE_MODE_NEEDS_STRIPE} Use a tk_test_ key.` });
    // The same answer for a live key that never existed: the prefix decides, nothing is looked up.
    const unknown = await call(postThing, { key: `tk_live_${"Z".repeat(32)}`, body: { name: "x", amount: 1 } });
    expect((await problemOf(unknown)).detail).toBe(`${LIVE_MODE_NEEDS_STRIPE} Use a tk_test_ key.`);
    const test = await newKey();
    expect((await call(postThing, { key: test.key, body: { name: "Test", amount: 100 } })).status).toBe(201);
  });

  it("the console's action refuses a live key (even from a forged form) with the reason", async () => {
    session.uid = (await createUser({ db, actor: systemActor("test"), now: new Date() }, { email: "keys-admin@example.test", role: "super_admin", name: "Keys Admin" })).id;
    const { createApiKeyAction } = await import("@/app/admin/developers/api-keys/actions");
    const form = new FormData();
    form.set("name", "Console live");
    form.set("mode", "live");
    expect(await createApiKeyAction({}, form)).toEqual({ error: LIVE_MODE_NEEDS_STRIPE, fieldErrors: undefined });
    expect(await keysNamed("Console live")).toEqual([]);
    form.set("mode", "test");
    expect(await createApiKeyAction({}, form)).toMatchObject({ ok: true, message: expect.stringMatching(/^tk_test_/) as unknown });
  });

  it("the CLI: create-api-key needs --test or --live, and --live is refused on the sandbox", async () => {
    for (const args of [["--name", "No mode"], ["--name", "Both", "--test", "--live"]]) {
      const result = await cli(["create-api-key", ...args]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("create-api-key needs exactly one of --test (a tk_test_ key) or --live (a tk_live_ key).");
      expect(result.stderr).toContain("Usage: npm run tally -- <command> [options]");
      expect(result.stdout).toBe("");
    }
    const live = await cli(["create-api-key", "--name", "CLI live", "--live"]);
    expect(live.code).toBe(1);
    expect(live.stderr.trim()).toBe(LIVE_MODE_NEEDS_STRIPE);
    expect(live.stdout).not.toMatch(/tk_live_/);
    expect(await keysNamed("CLI live")).toEqual([]);
  });
});
