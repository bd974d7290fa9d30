import path from "node:path";
import fs from "node:fs";
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { Pool } from "pg";
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import * as schema from "./schema";
import { env } from "@/lib/env";
import { errorField, log } from "@/lib/observability/logger";
import { arrayLiteral } from "./array-literal";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle; queries take one so the service decides the transaction boundary. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type Executor = Db | Tx;

interface Handle {
  db: Db;
  driver: "pg" | "pglite";
  close: () => Promise<void>;
  /** Pools of their own (getSidePool), by name; closed with the handle. */
  side?: Map<string, { db: Db; close: () => Promise<void> }>;
}

const MIGRATIONS = path.join(/*turbopackIgnore: true*/ process.cwd(), "drizzle");
const globalRef = globalThis as unknown as { __tallyDb?: Promise<Handle> };

/**
 * One schema, two drivers: PostgreSQL when DATABASE_URL is set, PGlite in TALLY_DATA_DIR otherwise.
 * Migrations are applied on first use, so the server, the CLI and the tests all see a current schema.
 */
export function getHandle(): Promise<Handle> {
  globalRef.__tallyDb ??= open().catch((error: unknown) => {
    globalRef.__tallyDb = undefined;
    throw error;
  });
  return globalRef.__tallyDb;
}

export async function getDb(): Promise<Db> {
  return (await getHandle()).db;
}

export async function closeDb(): Promise<void> {
  const handle = globalRef.__tallyDb;
  globalRef.__tallyDb = undefined;
  if (!handle) return;
  const open = await handle;
  await Promise.all([...(open.side?.values() ?? [])].map((pool) => pool.close()));
  await open.close();
}

/**
 * A small pool of its own, for background work that must neither wait behind request traffic for a
 * connection nor hold connections requests need (decision 036: outbound webhook deliveries): `max`
 * connections on PostgreSQL, opened on first use and closed with closeDb; PGlite's one connection
 * otherwise. The schema is already migrated by the main handle.
 */
export async function getSidePool(name: string, max: number): Promise<Db> {
  const handle = await getHandle();
  if (handle.driver === "pglite") return handle.db;
  handle.side ??= new Map();
  const existing = handle.side.get(name);
  if (existing) return existing.db;
  const { Pool } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const pool = new Pool({ connectionString: env().DATABASE_URL, max });
  pool.on("error", (error) => log.warn({ pool: name, ...errorField(error) }, "idle database connection lost"));
  const side = { db: drizzle(pool, { schema }) as unknown as Db, close: () => endPool(pool) };
  handle.side.set(name, side);
  return side.db;
}

async function open(): Promise<Handle> {
  const { DATABASE_URL, TALLY_DATA_DIR } = env();
  if (DATABASE_URL) return openPostgres(DATABASE_URL);
  return openPglite(TALLY_DATA_DIR);
}

/**
 * How long an idle connection stays open: five minutes, not node-postgres' ten seconds. A
 * connection opened again costs its first statements tens of milliseconds (a new backend, cold
 * catalog caches, its prepared statements parsed and planned again), and under bursty traffic the
 * ten-second default closed and reopened connections every few seconds, each time stalling the
 * requests queued behind that statement (bench/RESULTS.md I10).
 */
const IDLE_CONNECTION_MS = 300_000;

async function openPostgres(url: string): Promise<Handle> {
  const { Pool } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  const pool = new Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10), idleTimeoutMillis: IDLE_CONNECTION_MS });
  const db = drizzle(pool, { schema });
  // Several processes may boot at once (server, CLI, test workers): serialise migrations.
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock(727274)");
    await migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS });
  } finally {
    await client.query("select pg_advisory_unlock(727274)").catch(() => undefined);
    client.release();
  }
  // An idle client whose connection drops (a restart, a terminated backend) must not crash the
  // process: the pool has already discarded it and opens a new one for the next query.
  pool.on("error", (error) => log.warn({ ...errorField(error) }, "idle database connection lost"));
  return { db: db as unknown as Db, driver: "pg", close: () => endPool(pool) };
}

/**
 * pool.end() resolves once every client has been *asked* to end; wait until each connection has
 * actually closed, so the caller (a test dropping its database, a CLI exiting) finds none left.
 */
async function endPool(pool: Pool): Promise<void> {
  let left = pool.totalCount;
  const closed = new Promise<void>((resolve) => {
    if (left === 0) resolve();
    pool.on("remove", () => {
      left -= 1;
      if (left <= 0) resolve();
    });
  });
  await pool.end();
  await closed;
}

async function openPglite(dataDir: string): Promise<Handle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  // The customer list's trigram search index (drizzle/0013_customer_list.sql) needs pg_trgm.
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const target = dataDir.startsWith("memory://") ? dataDir : path.resolve(/*turbopackIgnore: true*/ dataDir, "pglite");
  if (!target.startsWith("memory://")) fs.mkdirSync(target, { recursive: true });
  const client = await PGlite.create(target, { extensions: { pg_trgm } });
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS });
  return { db: db as unknown as Db, driver: "pglite", close: () => client.close() };
}

export interface MigrationState {
  /** This build's migrations (drizzle/meta/_journal.json). */
  expected: number;
  /** Migrations the database has recorded as applied. */
  applied: number;
  /** False when the database's latest migration is older than this build's: its schema is behind. */
  current: boolean;
}

/**
 * This build's migrations against the database's record of them. drizzle applies every migration
 * whose journal time is after the latest one applied, so the database is current when that latest
 * one is at least this build's last (a newer build's database is current for this one too).
 */
export async function migrationState(db: Executor): Promise<MigrationState> {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, "meta", "_journal.json"), "utf8")) as { entries: { when: number }[] };
  const last = Math.max(...journal.entries.map((e) => e.when));
  const result = await db.execute<{ applied: number; latest: string | null }>(sql`select count(*)::int as applied, max(created_at)::text as latest from drizzle.__drizzle_migrations`);
  const row = (Array.isArray(result) ? result[0] : (result as { rows: { applied: number; latest: string | null }[] }).rows[0])!;
  return { expected: journal.entries.length, applied: Number(row.applied), current: row.latest !== null && Number(row.latest) >= last };
}

/** The node-postgres pool behind a root database handle (not a transaction, not PGlite). */
export function pgPoolOf(db: Executor): Pool | undefined {
  const client = (db as unknown as { $client?: Partial<Pool> }).$client;
  // Duck-typed: PGlite has `query` but no pool counters; a transaction handle has no `$client`.
  return client && typeof client.query === "function" && typeof client.totalCount === "number" ? (client as Pool) : undefined;
}

const dialect = new PgDialect();

/**
 * Run a hot statement whose text never changes as a named prepared statement on PostgreSQL: each
 * connection parses it once instead of on every call (elsewhere, PGlite or a transaction handle,
 * as queryRows). Rows come as node-postgres parses them (timestamps as Date).
 */
export async function queryPrepared<T>(db: Executor, name: string, query: SQL): Promise<T[]> {
  const pool = pgPoolOf(db);
  if (!pool) return queryRows<T>(db, query);
  const { sql: text, params } = dialect.sqlToQuery(query);
  return (await pool.query({ name, text, values: params })).rows as T[];
}

/** Run raw SQL and return its rows; both drivers answer with `{ rows }`. */
export async function queryRows<T>(db: Executor, query: SQLWrapper): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * `column = any($1::text[])`: set membership as one array parameter. drizzle's inArray binds one
 * parameter per value, which for the billing run's batches of hundreds of ids costs more to build
 * and plan than the query itself.
 */
export function inTextArray(column: SQLWrapper, values: readonly string[]): SQL {
  return sql`${column} = any(${arrayLiteral(values)}::text[])`;
}
