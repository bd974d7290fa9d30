import { afterAll, inject } from "vitest";
import { randomBytes } from "node:crypto";
import { dropDatabase, recreateDatabase } from "@/db/databases";

// Each test file gets a database of its own: a copy of the migrated template on PostgreSQL,
// or an in-memory PGlite when DATABASE_URL is not set.
const baseUrl = process.env.TALLY_TEST_BASE_URL ?? process.env.DATABASE_URL;

if (baseUrl) {
  process.env.TALLY_TEST_BASE_URL = baseUrl;
  // On PostgreSQL Tally needs NEXTAUTH_SECRET (lib/auth/secret.ts), as in production.
  process.env.NEXTAUTH_SECRET ??= "integration-tests-only-secret-0000000000";
  const name = `${process.env.TALLY_TEST_DB_PREFIX ?? "tally_test"}_${process.pid}_${randomBytes(4).toString("hex")}`;
  process.env.DATABASE_URL = (await recreateDatabase(baseUrl, name, { template: inject("templateDb") })).url;
  afterAll(async () => {
    const { closeDb } = await import("@/db/client");
    await closeDb();
    await dropDatabase(baseUrl, name);
  });
} else {
  process.env.TALLY_DATA_DIR = "memory://";
  afterAll(async () => {
    const { closeDb } = await import("@/db/client");
    await closeDb();
  });
}
