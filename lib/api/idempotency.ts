import { createHash } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { idempotencyKeys } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { DAY_MS } from "@/lib/time";
import { errorField, log } from "@/lib/observability/logger";

/**
 * Stripe-semantics idempotency keys, scoped per API key (docs/decisions/003-api-idempotency.md).
 *
 * The row's `created_at` doubles as a fencing token: whoever inserted (or took over) the row owns it,
 * and completion, release and lease renewal all match on it, so a request that lost its row (lease
 * expired, key expired after 24 h) can never overwrite the new owner's result.
 */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
export const IDEMPOTENCY_TTL_MS = DAY_MS;
/** An in-flight row whose lease lapsed belongs to a dead process; a retry may take it over. */
export const IDEMPOTENCY_LEASE_MS = 60_000;

export interface IdempotencyScope {
  apiKeyId: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
}

export interface StoredResponse {
  status: number;
  body: string;
}

export type Claim = { kind: "owner"; token: Date } | { kind: "replay"; response: StoredResponse };

/** The header value, undefined when absent; 400 when empty or longer than 255 characters. */
export function parseIdempotencyKey(header: string | null): string | undefined {
  if (header === null) return undefined;
  if (header.length === 0 || header.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw new AppError("idempotency_key_invalid", {
      userMessage: `Idempotency-Key must be 1–${IDEMPOTENCY_KEY_MAX_LENGTH} characters (a V4 UUID is a good choice).`,
      param: "Idempotency-Key",
    });
  }
  return header;
}

/** Same method, path and JSON body (key order ignored) → same hash. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash("sha256").update(`${method.toUpperCase()} ${path}\n${canonicalJson(body)}`).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

const pk = (scope: IdempotencyScope) =>
  and(eq(idempotencyKeys.apiKeyId, scope.apiKeyId), eq(idempotencyKeys.key, scope.key));
const owned = (scope: IdempotencyScope, token: Date) => and(pk(scope), eq(idempotencyKeys.createdAt, token));

/**
 * Claim the key for this request, or learn what to answer instead: the stored response (replay),
 * 422 `idempotency_key_mismatch` (same key, other request) or 409 `idempotency_key_in_use`.
 */
export async function claimIdempotencyKey(db: Executor, scope: IdempotencyScope, now: Date): Promise<Claim> {
  const fresh = {
    method: scope.method,
    path: scope.path,
    requestHash: scope.requestHash,
    state: "in_flight" as const,
    responseStatus: null,
    responseBody: null,
    createdAt: now,
    lockedUntil: new Date(now.getTime() + IDEMPOTENCY_LEASE_MS),
  };
  // A few rounds at most: each one either decides or observes another request's state change.
  for (let attempt = 0; attempt < 5; attempt++) {
    const inserted = await db
      .insert(idempotencyKeys)
      .values({ apiKeyId: scope.apiKeyId, key: scope.key, ...fresh })
      .onConflictDoNothing()
      .returning({ createdAt: idempotencyKeys.createdAt });
    if (inserted.length > 0) return { kind: "owner", token: now };

    const [row] = await db.select().from(idempotencyKeys).where(pk(scope)).limit(1);
    if (!row) continue; // released (5xx) or purged in between: insert again

    const expired = row.createdAt.getTime() <= now.getTime() - IDEMPOTENCY_TTL_MS;
    const abandoned = row.state === "in_flight" && (row.lockedUntil === null || row.lockedUntil <= now);
    if (expired || (abandoned && row.requestHash === scope.requestHash)) {
      // Take the row over; matching on the old created_at makes concurrent takeovers elect one winner.
      const taken = await db
        .update(idempotencyKeys)
        .set(fresh)
        .where(and(pk(scope), eq(idempotencyKeys.createdAt, row.createdAt)))
        .returning({ createdAt: idempotencyKeys.createdAt });
      if (taken.length > 0) return { kind: "owner", token: now };
      continue;
    }
    if (row.requestHash !== scope.requestHash) {
      throw new AppError("idempotency_key_mismatch", {
        userMessage:
          "This Idempotency-Key was already used with a different request (method, path or body). Use a new key for a new request.",
        param: "Idempotency-Key",
      });
    }
    if (row.state === "done" && row.responseStatus !== null && row.responseBody !== null) {
      return { kind: "replay", response: { status: row.responseStatus, body: row.responseBody } };
    }
    throw new AppError("idempotency_key_in_use", {
      userMessage: "A request with this Idempotency-Key is still being processed. Retry after it completes.",
      param: "Idempotency-Key",
    });
  }
  throw new AppError("idempotency_key_in_use", {
    userMessage: "A request with this Idempotency-Key is still being processed. Retry after it completes.",
    param: "Idempotency-Key",
  });
}

/** Store the response for replay. False when the row is no longer ours (lease lost). */
export async function completeIdempotencyKey(
  db: Executor,
  scope: IdempotencyScope,
  token: Date,
  response: StoredResponse,
): Promise<boolean> {
  const done = await db
    .update(idempotencyKeys)
    .set({ state: "done", responseStatus: response.status, responseBody: response.body, lockedUntil: null })
    .where(and(owned(scope, token), eq(idempotencyKeys.state, "in_flight")))
    .returning({ key: idempotencyKeys.key });
  return done.length > 0;
}

/** Forget the key (after a 5xx) so the client can retry with it. */
export async function releaseIdempotencyKey(db: Executor, scope: IdempotencyScope, token: Date): Promise<void> {
  await db.delete(idempotencyKeys).where(and(owned(scope, token), eq(idempotencyKeys.state, "in_flight")));
}

/** Extend the lease while the request is still running. */
export async function renewIdempotencyLease(db: Executor, scope: IdempotencyScope, token: Date, now: Date): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ lockedUntil: new Date(now.getTime() + IDEMPOTENCY_LEASE_MS) })
    .where(and(owned(scope, token), eq(idempotencyKeys.state, "in_flight")));
}

/**
 * Run `execute` at most once per (API key, Idempotency-Key). Replays come back with `replayed: true`
 * and the stored status and body byte for byte. 5xx results are not stored.
 */
export async function withIdempotency(
  db: Executor,
  scope: IdempotencyScope,
  now: Date,
  execute: () => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const claim = await claimIdempotencyKey(db, scope, now);
  if (claim.kind === "replay") return { ...claim.response, replayed: true };

  const heartbeat = setInterval(() => {
    renewIdempotencyLease(db, scope, claim.token, new Date()).catch(() => undefined);
  }, IDEMPOTENCY_LEASE_MS / 3);
  heartbeat.unref();
  let response: StoredResponse;
  try {
    response = await execute();
  } catch (error) {
    clearInterval(heartbeat);
    await releaseIdempotencyKey(db, scope, claim.token).catch(() => undefined);
    throw error;
  }
  clearInterval(heartbeat);
  if (response.status >= 500) {
    await releaseIdempotencyKey(db, scope, claim.token);
  } else {
    // The work is done: if storing the result fails, still answer; a retry then sees the lease lapse.
    await completeIdempotencyKey(db, scope, claim.token, response).catch((error: unknown) => {
      log.error({ idempotency_key: scope.key, ...errorField(error) }, "could not store the response for an Idempotency-Key");
    });
  }
  return { ...response, replayed: false };
}

/** Delete rows past the 24 h window (claims already ignore them; this keeps the table small). */
export async function purgeExpiredIdempotencyKeys(db: Executor, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - IDEMPOTENCY_TTL_MS);
  const deleted = await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, cutoff))
    .returning({ key: idempotencyKeys.key });
  return deleted.length;
}
