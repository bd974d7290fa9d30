import pg from "pg";
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
  const template = `tally_test_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${template} with (force)`);
  await admin.query(`create database ${template}`);
  await admin.end();
  process.env.DATABASE_URL = withDatabase(url, template);
  const { getDb, closeDb } = await import("@/db/client");
  await getDb();
  await closeDb();
  process.env.DATABASE_URL = url;
  project.provide("templateDb", template);
  return async () => {
    const drop = new pg.Client({ connectionString: url });
    await drop.connect();
    await drop.query(`drop database if exists ${template} with (force)`);
    await drop.end();
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
