import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { randomToken } from "@/lib/ids";

/**
 * NEXTAUTH_SECRET when set. On the embedded defaults a random secret is generated once and kept in
 * the data directory, so sessions survive restarts without any configuration.
 */
export function authSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
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
