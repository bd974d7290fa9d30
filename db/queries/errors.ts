/**
 * Whether `error` is PostgreSQL's unique violation (23505) on `constraint`. Both drivers report the
 * server's error; drizzle wraps it in `cause`. A service checks for the duplicate first and relies
 * on this only when a concurrent insert wins the race between that check and its own insert.
 */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, constraint: name, message } = e as { code?: unknown; constraint?: unknown; message?: unknown };
    if (code === "23505") return name === constraint || (typeof message === "string" && message.includes(constraint));
  }
  return false;
}
