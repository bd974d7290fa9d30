import { sql } from "drizzle-orm";
import { queryRows, type Executor } from "@/db/client";
import type { MovementKind } from "@/lib/analytics/mrr";

export interface MrrBucketRow {
  currency: string;
  /** The bucket's first day, YYYY-MM-DD. */
  bucket: string;
  kind: MovementKind;
  /** Sum of the movements' deltas (bigint as text). */
  delta: string;
}

/** Movements of [from, to] summed per currency, bucket (day or month) and kind: one aggregate over the day index. */
export function mrrBuckets(tx: Executor, livemode: boolean, from: string, to: string, interval: "day" | "month"): Promise<MrrBucketRow[]> {
  const bucket = interval === "day" ? sql`day` : sql`date_trunc('month', day)::date`;
  return queryRows<MrrBucketRow>(
    tx,
    sql`select currency, to_char(${bucket}, 'YYYY-MM-DD') as bucket, kind, sum(delta)::text as delta
        from mrr_movements where livemode = ${livemode} and day >= ${from}::date and day <= ${to}::date
        group by 1, 2, 3`,
  );
}

/**
 * Each currency's MRR at the end of the day before `day`: every customer's movements before it
 * summed — a customer's deltas from zero are its MRR (decision 032), so this equals summing each
 * customer's last `mrr` before the day, without sorting every customer's movements to find it.
 */
export async function openingMrr(tx: Executor, livemode: boolean, day: string): Promise<Map<string, number>> {
  const rows = await queryRows<{ currency: string; mrr: string }>(
    tx,
    sql`select currency, sum(delta)::text as mrr from mrr_movements where livemode = ${livemode} and day < ${day}::date group by currency`,
  );
  return new Map(rows.map((r) => [r.currency, Number(r.mrr)]));
}
