import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { getDb, queryRows } from "@/db/client";
import { apiKeys, auditLog } from "@/db/schema";
import { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from "@/lib/api/keys";
import { call, newKey, postThing, problemOf } from "./support";

const admin = { type: "system" as const, id: "test-admin" };

describe("API keys", () => {
  it("stores only the SHA-256 of the key, never the key itself", async () => {
    const db = await getDb();
    const { id, key, prefix } = await createApiKey(db, { name: "Billing sync", livemode: false, createdBy: "usr_1" });
    expect(key).toMatch(/^tk_test_[0-9A-Za-z]{32}$/);
    expect(prefix).toBe(key.slice(0, 12));

    const dump = JSON.stringify(await queryRows(db, sql`select * from api_keys`));
    expect(dump).not.toContain(key);
    expect(dump).not.toContain(key.slice(8));
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(row?.hash).toBe(createHash("sha256").update(key).digest("hex"));

    // Live keys exist only with Stripe as the gateway (tests/api/live-keys.test.ts); newKey(true) sets that up.
    const live = await newKey(true);
    expect(live.key).toMatch(/^tk_live_/);
    expect(await authenticateApiKey(db, `Bearer ${live.key}`)).toEqual({ id: live.id, name: "test key", livemode: true });

    const audit = await db.select().from(auditLog).where(eq(auditLog.entityId, id));
    expect(audit.map((a) => a.action)).toEqual(["api_key.created"]);
    expect(JSON.stringify(audit)).not.toContain(key);
  });

  it("lists keys without their hashes", async () => {
    const db = await getDb();
    const { id } = await createApiKey(db, { name: "Listed", livemode: false });
    const listed = await listApiKeys(db);
    const mine = listed.find((k) => k.id === id);
    expect(mine).toMatchObject({ name: "Listed", livemode: false, revokedAt: null });
    expect(mine).not.toHaveProperty("hash");
  });

  it("touches last_used_at at most once a minute", async () => {
    const db = await getDb();
    const { id, key } = await createApiKey(db, { name: "Touch", livemode: false });
    const t0 = new Date("2026-03-01T10:00:00Z");
    await authenticateApiKey(db, `Bearer ${key}`, t0);
    await authenticateApiKey(db, `Bearer ${key}`, new Date(t0.getTime() + 30_000));
    const lastUsed = async () => (await db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0]?.lastUsedAt?.toISOString();
    expect(await lastUsed()).toBe(t0.toISOString());
    const t1 = new Date(t0.getTime() + 61_000);
    await authenticateApiKey(db, `Bearer ${key}`, t1);
    expect(await lastUsed()).toBe(t1.toISOString());
  });

  it("refuses a revoked key on the very next request", async () => {
    const db = await getDb();
    const { id, key } = await newKey();
    const ok = await call(postThing, { key, body: { name: "Before", amount: 100 } });
    expect(ok.status).toBe(201);

    const revoked = await revokeApiKey(db, id, admin, new Date());
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    const res = await call(postThing, { key, body: { name: "After", amount: 100 } });
    expect(res.status).toBe(401);
    expect((await problemOf(res)).code).toBe("unauthenticated");

    // Revoking again is harmless; an unknown id is a 404.
    await expect(revokeApiKey(db, id, admin, new Date())).resolves.toMatchObject({ id });
    await expect(revokeApiKey(db, "key_doesnotexist", admin, new Date())).rejects.toMatchObject({ code: "not_found" });
    const actions = (await db.select().from(auditLog).where(eq(auditLog.entityId, id))).map((a) => a.action);
    expect(actions).toEqual(["api_key.created", "api_key.revoked"]);
  });

  it("answers every bad credential with the same 401 problem", async () => {
    const { key } = await newKey();
    // With Stripe as the gateway a tk_live_ spelling of a test key is just a wrong key, like the rest.
    await newKey(true);
    const wrong = `tk_test_${"A".repeat(32)}`;
    const cases: Array<Record<string, string>> = [
      {},
      { authorization: "" },
      { authorization: "Bearer" },
      { authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}` },
      { authorization: `Bearer ${wrong}` },
      { authorization: `Bearer ${key}x` },
      { authorization: `Bearer ${key.replace("tk_test_", "tk_live_")}` },
      { authorization: "Bearer sk_test_123" },
    ];
    const details = new Set<string>();
    for (const headers of cases) {
      const res = await call(postThing, { headers, body: { name: "x", amount: 1 } });
      expect(res.status).toBe(401);
      const problem = await problemOf(res);
      expect(problem).toMatchObject({
        type: "https://docs.tally.dev/errors/unauthenticated",
        status: 401,
        code: "unauthenticated",
      });
      details.add(problem.detail);
    }
    expect(details.size).toBe(1);
    // The scheme is case-insensitive, as HTTP says.
    expect((await call(postThing, { headers: { authorization: `bearer ${key}` }, body: { name: "x", amount: 1 } })).status).toBe(201);
  });
});
