import { desc } from "drizzle-orm";
import type { Executor } from "../client";
import { leakageRuns } from "../schema";

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

