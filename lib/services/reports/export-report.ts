import { countReportRows, reportPage, type ReportKind } from "@/db/queries/reports";
import { recordAudit } from "@/lib/audit/record";
import { CSV_BOM, csvRow, type CsvValue } from "@/lib/csv/csv";
import { toMajorString } from "@/lib/money";
import type { ReportRange } from "@/lib/reports/date-range";
import type { ServiceContext } from "../context";

type Row = Record<string, unknown>;

const money = (column: string) => (r: Row) => (r[column] === null || r[column] === undefined ? null : toMajorString(Number(r[column]), String(r.currency)));
const text = (column: string) => (r: Row) => r[column] as CsvValue;
const upper = (column: string) => (r: Row) => String(r[column]).toUpperCase();

/** Each report's columns and how a row fills them: amounts in major units of the row's currency, times in ISO 8601 UTC. */
export const REPORT_COLUMNS: Record<ReportKind, readonly (readonly [string, (r: Row) => CsvValue])[]> = {
  invoices: [
    ["id", text("id")],
    ["number", text("number")],
    ["customer_id", text("customer_id")],
    ["subscription_id", text("subscription_id")],
    ["status", text("status")],
    ["billing_reason", text("billing_reason")],
    ["collection_method", text("collection_method")],
    ["currency", upper("currency")],
    ["period_start", text("period_start")],
    ["period_end", text("period_end")],
    ["subtotal", money("subtotal")],
    ["discount", money("discount_total")],
    ["tax", money("tax")],
    ["total", money("total")],
    ["amount_due", money("amount_due")],
    ["amount_paid", money("amount_paid")],
    ["amount_remaining", money("amount_remaining")],
    ["amount_credited", money("amount_credited")],
    ["finalized_at", text("finalized_at")],
    ["due_date", text("due_date")],
    ["paid_at", text("paid_at")],
    ["voided_at", text("voided_at")],
    ["livemode", text("livemode")],
  ],
  payments: [
    ["id", text("id")],
    ["invoice_id", text("invoice_id")],
    ["customer_id", text("customer_id")],
    ["status", text("status")],
    ["currency", upper("currency")],
    ["amount", money("amount")],
    ["amount_refunded", money("amount_refunded")],
    ["fee", money("fee")],
    ["method", text("method")],
    ["gateway", text("gateway")],
    ["gateway_id", text("gateway_id")],
    ["attempt", text("attempt")],
    ["failure_code", text("failure_code")],
    ["decline_code", text("decline_code")],
    ["created_at", text("created_at")],
    ["settled_at", text("settled_at")],
    ["livemode", text("livemode")],
  ],
  mrr_movements: [
    ["day", text("day")],
    ["customer_id", text("customer_id")],
    ["currency", upper("currency")],
    ["kind", text("kind")],
    ["mrr", money("mrr")],
    ["delta", money("delta")],
    ["livemode", text("livemode")],
  ],
};

export const REPORT_FILE_NAMES: Record<ReportKind, string> = { invoices: "invoices", payments: "payments", mrr_movements: "mrr-movements" };

/** Rows per query while streaming. */
export const REPORT_CHUNK = 500;

/**
 * A report for a date range as CSV (decision 034). The audit entry — who, the report, the range and
 * the row count — is written before the first byte leaves, so no export happens without one; the
 * rows are then read in keyset pages as the client consumes the stream, each its own short query.
 */
export async function exportReport(ctx: ServiceContext, kind: ReportKind, range: ReportRange): Promise<{ rows: number; filename: string; body: ReadableStream<Uint8Array> }> {
  const window = { start: range.start, end: range.end };
  const rows = await countReportRows(ctx.db, kind, window);
  await recordAudit(ctx.db, ctx.actor, { action: "report.exported", entityType: "report", entityId: kind, after: { format: "csv", from: range.from, to: range.to, rows } }, ctx.now, ctx.requestId);

  const columns = REPORT_COLUMNS[kind];
  const encoder = new TextEncoder();
  let cursor: string[] | null = null;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(CSV_BOM + csvRow(columns.map(([name]) => name))));
        return;
      }
      const page = await reportPage(ctx.db, kind, window, cursor, REPORT_CHUNK);
      const chunk = page.rows.map((r) => csvRow(columns.map(([, value]) => value(r)))).join("");
      if (chunk) controller.enqueue(encoder.encode(chunk));
      cursor = page.cursor;
      if (!cursor) controller.close();
    },
  });
  return { rows, filename: `${REPORT_FILE_NAMES[kind]}-${range.from}-to-${range.to}.csv`, body };
}
