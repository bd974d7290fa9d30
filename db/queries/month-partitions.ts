import type { SQL } from "drizzle-orm";
import type { Db } from "../client";

const monthKey = (at: Date) => `${at.getUTCFullYear()}-${at.getUTCMonth()}`;
const madeMonths = new WeakMap<Db, Map<string, Set<string>>>();

/**
 * Make sure a month partition exists for each UTC month of `timestamps`, by running `ensure(start)`
 * (a statement that makes the month starting at `start`; a no-op on a plain table) once per month per
 * process and table, each in its own short statement before the insert.
 */
export async function ensureMonthPartitions(db: Db, table: string, timestamps: readonly Date[], ensure: (monthStart: Date) => SQL): Promise<void> {
  let tables = madeMonths.get(db);
  if (!tables) madeMonths.set(db, (tables = new Map()));
  let made = tables.get(table);
  if (!made) tables.set(table, (made = new Set()));
  const missing = new Map<string, Date>();
  for (const at of timestamps) {
    const key = monthKey(at);
    if (!made.has(key)) missing.set(key, at);
  }
  for (const [key, at] of missing) {
    await db.execute(ensure(new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1))));
    made.add(key);
  }
}

const HOUR_MS = 3_600_000;

export interface Span {
  from: Date;
  to: Date;
}

/**
 * [from, to) split for reading hourly rollups: the whole UTC hours inside it (null when there are
 * none) and the partial hours at either end, which are read from the raw rows.
 */
export function hourSpans(from: Date, to: Date): { whole: Span | null; raw: Span[] } {
  const firstHour = Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS;
  const lastHour = Math.floor(to.getTime() / HOUR_MS) * HOUR_MS;
  const whole = firstHour < lastHour ? { from: new Date(firstHour), to: new Date(lastHour) } : null;
  const raw = whole
    ? [
        { from, to: whole.from },
        { from: whole.to, to },
      ].filter((r) => r.from < r.to)
    : [{ from, to }];
  return { whole, raw };
}
