import { desc } from "drizzle-orm";
import { inTextArray, type Executor } from "../client";
import { customers, leakageRuns } from "../schema";

export type LeakageRunRow = typeof leakageRuns.$inferSelect;

/** Store a day's run, replacing an earlier run of the same day: one row per UTC day. */
export async function saveLeakageRun(db: Executor, run: LeakageRunRow): Promise<void> {
  await db
    .insert(leakageRuns)
    .values(run)
    .onConflictDoUpdate({ target: leakageRuns.day, set: { ranAt: run.ranAt, totals: run.totals, items: run.items } });
}

/** The latest day's run, or null before the first. */
export async function latestLeakageRun(db: Executor): Promise<LeakageRunRow | null> {
  const [row] = await db.select().from(leakageRuns).orderBy(desc(leakageRuns.day)).limit(1);
  return row ?? null;
}

/** Names and emails of the customers a run lists, for the console. */
export async function customerLabels(db: Executor, ids: readonly string[]): Promise<Map<string, { name: string | null; email: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: customers.id, name: customers.name, email: customers.email }).from(customers).where(inTextArray(customers.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, { name: r.name, email: r.email }]));
}
