import { afterAll, inject } from "vitest";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { withDatabase } from "./global-database";

// Each test file gets a database of its own: a copy of the migrated template on PostgreSQL,
// or an in-memory PGlite when DATABASE_URL is not set.
const baseUrl = process.env.TALLY_TEST_BASE_URL ?? process.env.DATABASE_URL;

if (baseUrl) {
  process.env.TALLY_TEST_BASE_URL = baseUrl;
  const name = `tally_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject("templateDb")}`);
  await admin.end();
  process.env.DATABASE_URL = withDatabase(baseUrl, name);
  afterAll(async () => {
    const { closeDb } = await import("@/db/client");
    await closeDb();
    const drop = new pg.Client({ connectionString: baseUrl });
    await drop.connect();
    await drop.query(`drop database if exists ${name} with (force)`);
    await drop.end();
  });
} else {
  process.env.TALLY_DATA_DIR = "memory://";
  afterAll(async () => {
    const { closeDb } = await import("@/db/client");
    await closeDb();
  });
}
