import pg from "pg";

/** The same server URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Run `fn` on a connection of its own to `serverUrl`, closed afterwards. */
async function onServer<T>(serverUrl: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/**
 * Drop (closing its connections) and create a database on `serverUrl`'s server, for tests and
 * benchmarks that each need a fresh one. Returns its URL and the server's version.
 */
export async function recreateDatabase(serverUrl: string, database: string, opts: { template?: string } = {}): Promise<{ url: string; version: string }> {
  return onServer(serverUrl, async (admin) => {
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.query(`create database ${database}${opts.template ? ` template ${opts.template}` : ""}`);
    const { rows } = await admin.query<{ server_version: string }>("show server_version");
    return { url: withDatabase(serverUrl, database), version: rows[0]?.server_version ?? "unknown" };
  });
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  await onServer(serverUrl, (admin) => admin.query(`drop database if exists ${database} with (force)`));
}

/** A database's comment (`comment on database`), or null when it has none or does not exist. */
export async function databaseComment(serverUrl: string, database: string): Promise<string | null> {
  return onServer(serverUrl, async (admin) => {
    const { rows } = await admin.query<{ comment: string | null }>("select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1", [database]);
    return rows[0]?.comment ?? null;
  });
}

export async function setDatabaseComment(serverUrl: string, database: string, comment: string): Promise<void> {
  await onServer(serverUrl, (admin) => admin.query(`comment on database ${database} is ${admin.escapeLiteral(comment)}`));
}
