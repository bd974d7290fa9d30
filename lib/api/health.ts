import { sql } from "drizzle-orm";
import { getHandle, migrationState, type Db, type MigrationState } from "@/db/client";
import { AppError } from "@/lib/errors";
import { newRequestId } from "./handler";
import { problemResponse } from "./problem";

/** How long readiness waits for `select 1` before calling the database unavailable. */
export const READINESS_TIMEOUT_MS = 3_000;

type HandleLoader = () => Promise<{ db: { execute: (query: ReturnType<typeof sql>) => Promise<unknown> }; driver: string }>;

/**
 * Readiness: 200 `{ status: "ok", driver, migrations: {expected, applied} }` when the database
 * answers and its schema is this build's (every migration of this build applied), else 503
 * `unavailable` — so a load balancer sends nothing to an instance whose database is behind it.
 */
export async function readiness(
  load: HandleLoader = getHandle,
  timeoutMs = READINESS_TIMEOUT_MS,
  migrations: (db: never) => Promise<MigrationState> = (db: Db) => migrationState(db),
): Promise<Response> {
  const requestId = newRequestId();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const check = async () => {
      const handle = await load();
      await handle.db.execute(sql`select 1`);
      const state = await migrations(handle.db as never);
      if (!state.current) throw new Error(`database schema is behind this build: ${state.applied} migrations applied, this build has ${state.expected}`);
      return { driver: handle.driver, migrations: { expected: state.expected, applied: state.applied } };
    };
    const { driver, migrations: applied } = await Promise.race([check(), timeout]);
    return Response.json({ status: "ok", driver, migrations: applied }, { headers: { "cache-control": "no-store", "request-id": requestId } });
  } catch (error) {
    // problemResponse logs 5xx errors; the internal message carries the cause, the client sees none of it.
    const unavailable = new AppError("unavailable", {
      message: `database not ready: ${error instanceof Error ? error.message : String(error)}`,
      userMessage: "The database is not reachable.",
    });
    const response = problemResponse(unavailable, requestId);
    response.headers.set("cache-control", "no-store");
    response.headers.set("request-id", requestId);
    return response;
  } finally {
    clearTimeout(timer);
  }
}
