import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb, getHandle } from "@/db/client";
import { idempotencyKeys } from "@/db/schema";
import {
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_TTL_MS,
  claimIdempotencyKey,
  purgeExpiredIdempotencyKeys,
  requestHash,
} from "@/lib/api/idempotency";
import { call, countThings, crashes, getThings, newKey, postThing, problemOf } from "./support";
import { takeLogged } from "@/tests/setup/logs";

async function thingsNamed(name: string): Promise<number> {
  const db = await getDb();
  const rows = await db.execute(sql`select count(*)::int as n from audit_log where action = 'thing.created' and after->>'name' = ${name}`);
  return Number((rows as unknown as { rows: Array<{ n: number }> }).rows[0]?.n);
}

describe("Idempotency-Key (R1)", () => {
  it("50 concurrent POSTs with one key: the handler runs once, every answer is the replay or 409", async () => {
    // On PGlite every query is serialised, so the race is milder than on PostgreSQL; run it with
    // DATABASE_URL for the real thing. The assertions are the same.
    const { driver } = await getHandle();
    const { key } = await newKey();
    const headers = { "idempotency-key": "order-7f3a-double-click" };
    const before = await countThings();

    const responses = await Promise.all(
      Array.from({ length: 50 }, () => call(postThing, { key, headers, body: { name: "Concurrent", amount: 1099, currency: "usd" } })),
    );
    const results = await Promise.all(
      responses.map(async (r) => ({ status: r.status, body: await r.text(), replayed: r.headers.get("idempotent-replayed") })),
    );

    expect(await countThings()).toBe(before + 1);
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    for (const r of results) expect([201, 409]).toContain(r.status);
    const successes = results.filter((r) => r.status === 201);
    expect(new Set(successes.map((r) => r.body)).size).toBe(1);
    expect(successes.filter((r) => r.replayed === null)).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 409)) {
      expect(JSON.parse(r.body)).toMatchObject({ code: "idempotency_key_in_use", param: "Idempotency-Key" });
    }
    if (driver === "pg") expect(results.some((r) => r.status === 409)).toBe(true);

    // After the first completes, every retry is the identical replay.
    const again = await call(postThing, { key, headers, body: { amount: 1099, currency: "usd", name: "Concurrent" } });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await again.text()).toBe(successes[0]?.body);
    expect(await countThings()).toBe(before + 1);
  });

  it("replays byte for byte, drops fields outside the response schema, and scopes keys per API key", async () => {
    const a = await newKey();
    const b = await newKey();
    const headers = { "idempotency-key": "same-key" };
    const first = await call(postThing, { key: a.key, headers, body: { name: "Scoped", amount: 5 } });
    const firstBody = await first.text();
    expect(first.status).toBe(201);
    expect(JSON.parse(firstBody)).not.toHaveProperty("internal_secret");
    const replay = await call(postThing, { key: a.key, headers, body: { name: "Scoped", amount: 5 } });
    expect(await replay.text()).toBe(firstBody);
    expect(replay.headers.get("request-id")).not.toBe(first.headers.get("request-id"));

    const other = await call(postThing, { key: b.key, headers, body: { name: "Scoped", amount: 5 } });
    expect(other.status).toBe(201);
    expect(other.headers.get("idempotent-replayed")).toBeNull();
    expect(await thingsNamed("Scoped")).toBe(2);
  });

  it("the same key with another body is 422 idempotency_key_mismatch and changes nothing", async () => {
    const { key } = await newKey();
    const headers = { "idempotency-key": "mismatch-1" };
    expect((await call(postThing, { key, headers, body: { name: "Mismatch", amount: 100 } })).status).toBe(201);
    const res = await call(postThing, { key, headers, body: { name: "Mismatch", amount: 200 } });
    expect(res.status).toBe(422);
    expect(await problemOf(res)).toMatchObject({ code: "idempotency_key_mismatch", param: "Idempotency-Key" });
    // Another path with the same key and body is another request too.
    const elsewhere = await call(postThing, { key, headers, path: "/things/elsewhere", body: { name: "Mismatch", amount: 100 } });
    expect((await problemOf(elsewhere)).code).toBe("idempotency_key_mismatch");
    expect(await thingsNamed("Mismatch")).toBe(1);
  });

  it("rejects an Idempotency-Key longer than 255 characters (or empty) with 400", async () => {
    const { key } = await newKey();
    for (const value of ["k".repeat(300), ""]) {
      const res = await call(postThing, { key, headers: { "idempotency-key": value }, body: { name: "LongKey", amount: 1 } });
      expect(res.status).toBe(400);
      expect(await problemOf(res)).toMatchObject({ code: "idempotency_key_invalid", param: "Idempotency-Key" });
    }
    const ok = await call(postThing, { key, headers: { "idempotency-key": "k".repeat(255) }, body: { name: "LongKey", amount: 1 } });
    expect(ok.status).toBe(201);
    expect(await thingsNamed("LongKey")).toBe(1);
  });

  it("stores 4xx answers from the handler and replays them", async () => {
    const { key } = await newKey();
    const headers = { "idempotency-key": "conflict-1" };
    const first = await call(postThing, { key, headers, body: { name: "Conflict", amount: 1, fail: "conflict" } });
    expect(first.status).toBe(409);
    const firstBody = await first.text();
    expect(JSON.parse(firstBody)).toMatchObject({ code: "conflict", detail: "That thing already exists." });
    const replay = await call(postThing, { key, headers, body: { name: "Conflict", amount: 1, fail: "conflict" } });
    expect(replay.status).toBe(409);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.headers.get("content-type")).toBe("application/problem+json");
    expect(await replay.text()).toBe(firstBody);
  });

  it("does not store validation failures: the key stays free for the corrected request", async () => {
    const { key } = await newKey();
    const headers = { "idempotency-key": "fix-and-retry" };
    const bad = await call(postThing, { key, headers, body: { name: "Fixed", amount: 10.5 } });
    expect(bad.status).toBe(422);
    const good = await call(postThing, { key, headers, body: { name: "Fixed", amount: 1050 } });
    expect(good.status).toBe(201);
  });

  it("releases the key after a 5xx so the client can retry with it", async () => {
    const { key } = await newKey();
    const headers = { "idempotency-key": "crash-then-retry" };
    crashes.remaining = 1;
    const crashed = await call(postThing, { key, headers, body: { name: "Crash", amount: 1, fail: "crash" } });
    expect(crashed.status).toBe(500);
    const problem = await problemOf(crashed);
    expect(problem.code).toBe("internal");
    expect(problem.detail).not.toMatch(/gateway|internal detail/);
    expect(takeLogged("error")).toContainEqual(expect.objectContaining({ msg: "request failed", request_id: problem.request_id, err: expect.objectContaining({ message: expect.any(String) }) }));

    const retried = await call(postThing, { key, headers, body: { name: "Crash", amount: 1, fail: "crash" } });
    expect(retried.status).toBe(201);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
    expect(await thingsNamed("Crash")).toBe(1);
  });

  it("ignores rows older than 24 h, takes over abandoned leases, and purges expired rows", async () => {
    const db = await getDb();
    const { id: apiKeyId } = await newKey();
    const t0 = new Date("2026-05-01T00:00:00Z");
    const scope = { apiKeyId, key: "old", method: "POST", path: "/api/v1/things", requestHash: requestHash("POST", "/api/v1/things", { a: 1 }) };

    expect(await claimIdempotencyKey(db, scope, t0)).toEqual({ kind: "owner", token: t0 });
    // Still leased: in use.
    await expect(claimIdempotencyKey(db, scope, new Date(t0.getTime() + 1000))).rejects.toMatchObject({ code: "idempotency_key_in_use" });
    // The owner died: once the lease lapses a retry of the same request takes over; another request may not.
    const later = new Date(t0.getTime() + IDEMPOTENCY_LEASE_MS + 1);
    await expect(claimIdempotencyKey(db, { ...scope, requestHash: "other" }, later)).rejects.toMatchObject({ code: "idempotency_key_mismatch" });
    expect(await claimIdempotencyKey(db, scope, later)).toEqual({ kind: "owner", token: later });

    // 24 h on, the key is new again, even for another body.
    const nextDay = new Date(later.getTime() + IDEMPOTENCY_TTL_MS);
    expect(await claimIdempotencyKey(db, { ...scope, requestHash: "other" }, nextDay)).toEqual({ kind: "owner", token: nextDay });

    await claimIdempotencyKey(db, { ...scope, key: "stale" }, t0);
    expect(await purgeExpiredIdempotencyKeys(db, new Date(t0.getTime() + IDEMPOTENCY_TTL_MS + 1))).toBeGreaterThanOrEqual(1);
    const left = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.apiKeyId, apiKeyId));
    expect(left.map((r) => r.key)).toEqual(["old"]);
  });

  it("GET ignores Idempotency-Key and requests without one are not deduplicated", async () => {
    const { key } = await newKey();
    await call(postThing, { key, body: { name: "NoKey", amount: 1 } });
    await call(postThing, { key, body: { name: "NoKey", amount: 1 } });
    expect(await thingsNamed("NoKey")).toBe(2);
    const list = await call(getThings, { key, method: "GET", headers: { "idempotency-key": "k".repeat(300) } });
    expect(list.status).toBe(200);
    expect(list.headers.get("idempotent-replayed")).toBeNull();
  });
});
