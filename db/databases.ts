import pg from "pg";

/** The same server URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Drop (closing its connections) and create a database on `serverUrl`'s server, for tests and
 * benchmarks that each need a fresh one. Returns its URL and the server's version.
 */
export async function recreateDatabase(serverUrl: string, database: string, opts: { template?: string } = {}): Promise<{ url: string; version: string }> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.query(`create database ${database}${opts.template ? ` template ${opts.template}` : ""}`);
    const { rows } = await admin.query<{ server_version: string }>("show server_version");
    return { url: withDatabase(serverUrl, database), version: rows[0]?.server_version ?? "unknown" };
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${database} with (force)`);
  } finally {
    await admin.end();
  }
}
