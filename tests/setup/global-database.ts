import pg from "pg";

/**
 * With DATABASE_URL: build a migrated template database once; each test file then gets its own
 * database copied from it (tests/setup/database.ts). Without it, test files use in-memory PGlite.
 */
export const TEMPLATE_DB = "tally_test_template";

export default async function setup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE_DB} with (force)`);
  await admin.query(`create database ${TEMPLATE_DB}`);
  await admin.end();
  const templateUrl = withDatabase(url, TEMPLATE_DB);
  process.env.DATABASE_URL = templateUrl;
  const { getDb, closeDb } = await import("@/db/client");
  await getDb();
  await closeDb();
  process.env.DATABASE_URL = url;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
