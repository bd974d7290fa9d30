import type { Executor } from "@/db/client";
import { ingestCounts, type IngestMinute } from "@/db/queries/usage";

export interface IngestHealth {
  /** The window, whole UTC minutes: [from, to); the last one is the minute `now` is in. */
  from: Date;
  to: Date;
  minutes: number;
  /** Every event a client sent in the window, whatever became of it. */
  received: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Events received per minute over the window (received / minutes). */
  eventsPerMinute: number;
  /** One entry per minute of the window, oldest first, zeros where nothing arrived. */
  perMinute: IngestMinute[];
  /** Rejections by code, most frequent first. */
  rejections: { code: string; count: number }[];
}

const MINUTE_MS = 60_000;

/**
 * How usage ingest is going (the console's ingest health card): per minute over the last `window`
 * minutes (default 60, at most a day), events accepted, duplicates of stored ones and rejections,
 * and the rejections by code, from the counts every ingest call adds (drizzle/0033). Live and test
 * mode together.
 */
export async function ingestHealth(ctx: { db: Executor }, input: { now: Date; window?: number }): Promise<IngestHealth> {
  const minutes = Math.min(Math.max(Math.trunc(input.window ?? 60), 1), 1440);
  const to = new Date((Math.floor(input.now.getTime() / MINUTE_MS) + 1) * MINUTE_MS);
  const from = new Date(to.getTime() - minutes * MINUTE_MS);
  const counts = await ingestCounts(ctx.db, from, to);
  const byMinute = new Map(counts.minutes.map((m) => [m.minute.getTime(), m]));
  const perMinute = Array.from({ length: minutes }, (_, i) => {
    const minute = new Date(from.getTime() + i * MINUTE_MS);
    return byMinute.get(minute.getTime()) ?? { minute, accepted: 0, duplicates: 0, rejected: 0 };
  });
  const sum = (read: (m: IngestMinute) => number) => perMinute.reduce((n, m) => n + read(m), 0);
  const accepted = sum((m) => m.accepted);
  const duplicates = sum((m) => m.duplicates);
  const rejected = sum((m) => m.rejected);
  const received = accepted + duplicates + rejected;
  return { from, to, minutes, received, accepted, duplicates, rejected, eventsPerMinute: received / minutes, perMinute, rejections: counts.rejections };
}
