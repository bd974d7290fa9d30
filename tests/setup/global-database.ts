import { dropDatabase, recreateDatabase } from "@/db/databases";
import type { TestProject } from "vitest/node";

/**
 * With DATABASE_URL: build a migrated template database once per run; each test file then gets its
 * own database copied from it (tests/setup/database.ts). The template's name is unique per run, so
 * runs on the same server (CI and a developer, two terminals) never drop each other's template.
 * Without DATABASE_URL, test files use in-memory PGlite.
 */
declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const template = `${process.env.TALLY_TEST_DB_PREFIX ?? "tally_test"}_template_${process.pid}`;
  process.env.DATABASE_URL = (await recreateDatabase(url, template)).url;
  const { getDb, closeDb } = await import("@/db/client");
  await getDb();
  await closeDb();
  process.env.DATABASE_URL = url;
  project.provide("templateDb", template);
  return () => dropDatabase(url, template);
}
