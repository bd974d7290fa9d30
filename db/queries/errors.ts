interface PostgresError {
  code: string;
  constraint?: unknown;
  message?: unknown;
}

/**
 * PostgreSQL's error with this SQLSTATE `code` in `error` or its causes, if any. Both drivers report
 * the server's error; drizzle wraps it in `cause`.
 */
export function findPostgresError(error: unknown, code: string): PostgresError | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === code) return e as PostgresError;
  }
  return undefined;
}

/**
 * Whether `error` is PostgreSQL's unique violation (23505) on `constraint`. A service checks for the
 * duplicate first and relies on this only when a concurrent insert wins the race between that check
 * and its own insert.
 */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const found = findPostgresError(error, "23505");
  return found !== undefined && (found.constraint === constraint || (typeof found.message === "string" && found.message.includes(constraint)));
}
