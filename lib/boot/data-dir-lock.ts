import fs from "node:fs";
import path from "node:path";

/**
 * PGlite allows one process per data directory. The server records its pid here; the CLI reads
 * it and refuses plainly instead of corrupting the database.
 */
function lockFile(dataDir: string): string {
  return path.resolve(/*turbopackIgnore: true*/ dataDir, "server.pid");
}

export function holderOf(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(lockFile(dataDir), "utf8").trim());
    if (!Number.isInteger(pid) || pid === process.pid) return null;
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

export function claimDataDir(dataDir: string): void {
  const holder = holderOf(dataDir);
  if (holder) {
    throw new Error(`Another Tally process (pid ${holder}) has the embedded database in ${path.resolve(/*turbopackIgnore: true*/ dataDir)} open. Stop it first, or set DATABASE_URL to use PostgreSQL.`);
  }
  fs.mkdirSync(path.resolve(/*turbopackIgnore: true*/ dataDir), { recursive: true });
  fs.writeFileSync(lockFile(dataDir), String(process.pid));
  const release = () => {
    try {
      if (fs.readFileSync(lockFile(dataDir), "utf8").trim() === String(process.pid)) fs.unlinkSync(lockFile(dataDir));
    } catch {
      // already gone
    }
  };
  process.once("exit", release);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      release();
      process.exit(0);
    });
  }
}
