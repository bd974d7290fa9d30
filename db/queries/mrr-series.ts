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

/** Each currency's MRR at the end of the day before `day`: every customer's last movement before it, summed. */
export async function openingMrr(tx: Executor, livemode: boolean, day: string): Promise<Map<string, number>> {
  const rows = await queryRows<{ currency: string; mrr: string }>(
    tx,
    sql`select currency, sum(mrr)::text as mrr from (
          select distinct on (customer_id, currency) currency, mrr from mrr_movements
          where livemode = ${livemode} and day < ${day}::date order by customer_id, currency, day desc) last
        group by currency`,
  );
  return new Map(rows.map((r) => [r.currency, Number(r.mrr)]));
}
