/**
 * Prepares the database the Playwright suite runs against, before the server starts (PGlite allows
 * one process at a time): migrate, seed the demo data, create an API key, and write what the
 * fixtures need (the key and the demo users' ids) to .e2e/fixtures.json.
 */
import fs from "node:fs";
import { eq } from "drizzle-orm";
import { closeDb, getDb } from "@/db/client";
import { demoUsers, seedDemo } from "@/db/seed";
import { users } from "@/db/schema";
import { createApiKey } from "@/lib/api/keys";

async function main(): Promise<void> {
  const db = await getDb();
  // The demo subscriber stays without a plan: the walking skeleton signs up from scratch.
  await seedDemo(db, new Date(), { usage: false });
  const key = await createApiKey(db, { name: "Playwright", livemode: false, createdBy: "e2e" });
  const ids: Record<string, string> = {};
  for (const u of demoUsers) {
    const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, u.email));
    if (row) ids[u.role] = row.id;
  }
  fs.mkdirSync(".e2e", { recursive: true });
  fs.writeFileSync(".e2e/fixtures.json", JSON.stringify({ apiKey: key.key, users: ids }, null, 2));
  await closeDb();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
