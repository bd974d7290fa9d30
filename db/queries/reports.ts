import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Executor } from "../client";

/**
 * The console's CSV reports over a date range: invoices by when they were finalized (drafts are not
 * issued), payments by when they were made, MRR movements by their day (decision 032). Read in
 * keyset pages so an export streams in flat memory.
 */
export const reportKinds = ["invoices", "payments", "mrr_movements"] as const;
export type ReportKind = (typeof reportKinds)[number];

export interface ReportWindow {
  start: Date;
  end: Date;
}

export interface ReportPage {
  rows: Record<string, unknown>[];
  /** Where the next page starts; null after the last. */
  cursor: string[] | null;
}

interface KindQuery {
  /** Rows in the window, after the keyset position when there is one. */
  where: (w: ReportWindow, after: string[] | null) => SQL;
  select: SQL;
  from: SQL;
  order: SQL;
  /** The keyset position of a row: timestamps as the database's text, which keeps their microseconds. */
  key: (row: Record<string, unknown>) => string[];
}

const iso = (d: Date) => d.toISOString();
/** A timestamp column as ISO 8601 UTC text to the millisecond, whatever the driver makes of timestamps. */
const isoOf = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${column.split(".")[1]}`);

const queries: Record<ReportKind, KindQuery> = {
  invoices: {
    select: sql`i.id, i.number, i.customer_id, i.subscription_id, i.status, i.billing_reason, i.collection_method, i.currency, ${isoOf("i.period_start")}, ${isoOf("i.period_end")},
      i.subtotal, i.discount_total, i.tax, i.total, i.amount_due, i.amount_paid, i.amount_remaining, i.amount_credited, ${isoOf("i.finalized_at")}, ${isoOf("i.due_date")},
      ${isoOf("i.paid_at")}, ${isoOf("i.voided_at")}, i.livemode, i.finalized_at::text as key_at`,
    from: sql`invoices i`,
    where: (w, after) =>
      sql`i.finalized_at >= ${iso(w.start)}::timestamptz and i.finalized_at < ${iso(w.end)}::timestamptz
        ${after ? sql`and (i.finalized_at, i.id) > (${after[0]}::timestamptz, ${after[1]})` : sql``}`,
    order: sql`i.finalized_at, i.id`,
    key: (r) => [String(r.key_at), String(r.id)],
  },
  payments: {
    select: sql`p.id, p.invoice_id, p.customer_id, p.status, p.currency, p.amount, p.amount_refunded, p.fee, p.method, p.gateway, p.gateway_id, p.attempt,
      p.failure_code, p.decline_code, ${isoOf("p.created_at")}, ${isoOf("p.settled_at")}, p.livemode, p.created_at::text as key_at`,
    from: sql`payments p`,
    where: (w, after) =>
      sql`p.created_at >= ${iso(w.start)}::timestamptz and p.created_at < ${iso(w.end)}::timestamptz
        ${after ? sql`and (p.created_at, p.id) > (${after[0]}::timestamptz, ${after[1]})` : sql``}`,
    order: sql`p.created_at, p.id`,
    key: (r) => [String(r.key_at), String(r.id)],
  },
  mrr_movements: {
    select: sql`m.day::text as day, m.customer_id, m.currency, m.kind, m.mrr, m.delta, m.livemode`,
    from: sql`mrr_movements m`,
    where: (w, after) =>
      sql`m.day >= ${iso(w.start).slice(0, 10)}::date and m.day < ${iso(w.end).slice(0, 10)}::date
        ${after ? sql`and (m.day, m.customer_id, m.currency) > (${after[0]}::date, ${after[1]}, ${after[2]})` : sql``}`,
    order: sql`m.day, m.customer_id, m.currency`,
    key: (r) => [String(r.day), String(r.customer_id), String(r.currency)],
  },
};

export async function countReportRows(db: Executor, kind: ReportKind, window: ReportWindow): Promise<number> {
  const q = queries[kind];
  const [row] = await queryRows<{ n: string | number }>(db, sql`select count(*) as n from ${q.from} where ${q.where(window, null)}`);
  return Number(row?.n ?? 0);
}

export async function reportPage(db: Executor, kind: ReportKind, window: ReportWindow, after: string[] | null, limit: number): Promise<ReportPage> {
  const q = queries[kind];
  const rows = await queryRows<Record<string, unknown>>(db, sql`select ${q.select} from ${q.from} where ${q.where(window, after)} order by ${q.order} limit ${limit}`);
  const last = rows.at(-1);
  return { rows, cursor: rows.length === limit && last ? q.key(last) : null };
}
