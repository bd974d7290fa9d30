import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { randomToken } from "@/lib/ids";

/** Why Tally will not run on PostgreSQL without NEXTAUTH_SECRET: one line, shown at boot and by the CLI. */
export const MISSING_AUTH_SECRET =
  "NEXTAUTH_SECRET is not set. With DATABASE_URL every Tally process must sign sessions and links with the same secret, so it is not generated: set NEXTAUTH_SECRET (e.g. `openssl rand -base64 32`) and start again.";

let buildOnlySecret: string | undefined;

/** The reason Tally cannot get a usable auth secret from this environment, or null. */
export function authSecretProblem(e: { DATABASE_URL?: string; NEXTAUTH_SECRET?: string }): string | null {
  return e.DATABASE_URL && !e.NEXTAUTH_SECRET ? MISSING_AUTH_SECRET : null;
}

/**
 * NEXTAUTH_SECRET when set. On the embedded defaults a random secret is generated once and kept in
 * the data directory, so sessions survive restarts without any configuration. With DATABASE_URL
 * there is no such default: two instances would each generate their own and refuse each other's
 * sessions and links.
 */
export function authSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const problem = authSecretProblem(process.env);
  if (problem) {
    // `next build` prerenders layouts that read the session (and so this secret) before they turn
    // out to be per-request; nothing signed during the build outlives it, and the server itself
    // refuses to start without NEXTAUTH_SECRET.
    if (process.env.NEXT_PHASE === "phase-production-build") return (buildOnlySecret ??= randomToken(48));
    throw new Error(problem);
  }
  const dataDir = process.env.TALLY_DATA_DIR ?? ".data";
  if (dataDir.startsWith("memory:")) return createHash("sha256").update("tally-in-memory").digest("hex");
  const dir = path.resolve(/*turbopackIgnore: true*/ dataDir);
  const file = path.join(dir, "auth-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(dir, { recursive: true });
    const secret = randomToken(48);
    fs.writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}
