import { createHash } from "node:crypto";
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { systemActor, type Actor } from "@/lib/actor";
import { recordAudit } from "@/lib/audit/record";
import { AppError, notFound } from "@/lib/errors";
import { newId, randomToken } from "@/lib/ids";
import { LIVE_MODE_NEEDS_STRIPE, sandboxIsGateway } from "@/lib/payments/mode";

/**
 * API keys: `tk_test_` / `tk_live_` + 32 base62 characters (~190 bits). Only the SHA-256 of the key
 * is stored (a slow hash buys nothing at that entropy and would slow every request); the key is
 * shown once. Revocation is checked on every request, so a revoked key stops working at once.
 */
const KEY_SHAPE = /^tk_(test|live)_[0-9A-Za-z]{32}$/;
const PREFIX_CHARS = 4;
const LAST_USED_RESOLUTION_MS = 60_000;

export interface AuthenticatedApiKey {
  id: string;
  name: string;
  livemode: boolean;
}

export interface ApiKeySummary extends AuthenticatedApiKey {
  prefix: string;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const summaryColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  livemode: apiKeys.livemode,
  prefix: apiKeys.prefix,
  createdBy: apiKeys.createdBy,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export async function createApiKey(
  db: Executor,
  input: { name: string; livemode: boolean; createdBy?: string; actor?: Actor; now?: Date },
): Promise<{ id: string; key: string; prefix: string }> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) {
    throw new AppError("validation_failed", { userMessage: "name must be 1–200 characters.", param: "name" });
  }
  if (input.livemode && sandboxIsGateway()) throw new AppError("validation_failed", { userMessage: LIVE_MODE_NEEDS_STRIPE });
  const now = input.now ?? new Date();
  const secret = randomToken(32);
  const key = `tk_${input.livemode ? "live" : "test"}_${secret}`;
  const prefix = key.slice(0, key.length - 32 + PREFIX_CHARS);
  const id = newId("apiKey");
  const actor = input.actor ?? systemActor(input.createdBy ?? "api_keys");
  await db.transaction(async (tx) => {
    await tx.insert(apiKeys).values({
      id,
      name,
      prefix,
      hash: hashApiKey(key),
      livemode: input.livemode,
      createdBy: input.createdBy ?? (input.actor ? input.actor.id : null),
      createdAt: now,
    });
    await recordAudit(tx, actor, { action: "api_key.created", entityType: "api_key", entityId: id, after: { name, prefix, livemode: input.livemode } }, now);
  });
  return { id, key, prefix };
}

/** The same answer for every failure, so a caller learns nothing about which keys exist. */
function unauthenticated(): AppError {
  return new AppError("unauthenticated", {
    userMessage: "Missing or invalid API key. Send it as `Authorization: Bearer tk_test_…`.",
  });
}

export async function authenticateApiKey(
  db: Executor,
  authorization: string | null | undefined,
  now: Date = new Date(),
): Promise<AuthenticatedApiKey> {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? "");
  const key = match?.[1];
  if (!key || !KEY_SHAPE.test(key)) throw unauthenticated();
  // Decided by the prefix alone, before any lookup: it says nothing about which keys exist.
  if (key.startsWith("tk_live_") && sandboxIsGateway()) throw new AppError("unauthenticated", { userMessage: `${LIVE_MODE_NEEDS_STRIPE} Use a tk_test_ key.` });
  const [row] = await db
    .select({ id: apiKeys.id, name: apiKeys.name, livemode: apiKeys.livemode, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, hashApiKey(key)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row || row.livemode !== key.startsWith("tk_live_")) throw unauthenticated();

  // Touch last_used_at at most once a minute: the condition keeps concurrent requests to one write.
  const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!row.lastUsedAt || row.lastUsedAt < stale) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale))));
  }
  return { id: row.id, name: row.name, livemode: row.livemode };
}

/**
 * authenticateApiKey for the entitlement check's fast path: a key seen valid is trusted for up to
 * a minute (the resolution of last_used_at, touched when the minute is up), so a check costs no
 * query for its key. Revoking a key clears this process's cache at once; another process sees the
 * revocation within the minute (docs/decisions/029-entitlements-cache.md).
 */
export async function authenticateApiKeyCached(db: Executor, authorization: string | null | undefined, now: Date = new Date()): Promise<AuthenticatedApiKey> {
  const cache = keyCache();
  const hit = cachedApiKey(authorization, now.getTime());
  if (hit) return hit;
  const generation = cache.generation;
  const key = await authenticateApiKey(db, authorization, now);
  // A revocation committed while the key was read: not stored (the read may predate it).
  if (generation !== cache.generation) return key;
  if (cache.keys.size >= 10_000) cache.keys.clear();
  cache.keys.set(authorization ?? "", { key, checkedAt: now.getTime() });
  return key;
}

/** The key the fast path's cache holds for this Authorization header, still within its minute; null otherwise (no lookup). */
export function cachedApiKey(authorization: string | null | undefined, nowMs = Date.now()): AuthenticatedApiKey | null {
  const hit = authorization ? keyCache().keys.get(authorization) : undefined;
  return hit && nowMs - hit.checkedAt < LAST_USED_RESOLUTION_MS ? hit.key : null;
}

interface KeyCache {
  keys: Map<string, { key: AuthenticatedApiKey; checkedAt: number }>;
  generation: number;
}
const keyCacheRef = globalThis as unknown as { __tallyApiKeyCache?: KeyCache };
function keyCache(): KeyCache {
  keyCacheRef.__tallyApiKeyCache ??= { keys: new Map(), generation: 0 };
  return keyCacheRef.__tallyApiKeyCache;
}

export async function revokeApiKey(db: Executor, id: string, actor: Actor, at: Date): Promise<ApiKeySummary> {
  const revoked = await db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: at })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning(summaryColumns);
    if (revoked) {
      await recordAudit(tx, actor, { action: "api_key.revoked", entityType: "api_key", entityId: id, after: { revoked_at: at } }, at);
      return revoked;
    }
    // Revoking twice is not an error; revoking a key that does not exist is.
    const [existing] = await tx.select(summaryColumns).from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
    if (!existing) throw notFound("API key", "id");
    return existing;
  });
  // Committed: the fast path's cache must not trust the key any more.
  keyCache().keys.clear();
  keyCache().generation++;
  return revoked;
}

export async function listApiKeys(db: Executor): Promise<ApiKeySummary[]> {
  return db.select(summaryColumns).from(apiKeys).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}
