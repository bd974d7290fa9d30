/**
 * A session version as carried in a session token (or read from a user row). Tokens issued before
 * versions existed carry none and count as version 0, the version every user started with.
 */
export function sessionVersion(value: unknown): number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}
