import { countCustomers, listCustomers, type CustomerListFilters, type CustomerListSort, type SortDirection } from "@/db/queries/customer-list";
import { recordAudit } from "@/lib/audit/record";
import { CSV_BOM, csvRow } from "@/lib/csv/csv";
import { toMajorString } from "@/lib/money";
import type { ServiceContext } from "../context";

export interface CustomerListExportRequest extends CustomerListFilters {
  sort: CustomerListSort;
  dir: SortDirection;
}

export const CUSTOMER_EXPORT_COLUMNS = [
  "id",
  "external_id",
  "name",
  "email",
  "subscription_status",
  "plan",
  "dunning_state",
  "country",
  "currency",
  "credit_balance",
  "created_at",
] as const;

/** Rows per query while streaming: keyset chunks, so memory stays flat however many customers match. */
export const EXPORT_CHUNK = 500;

/**
 * Export the customers the console list shows for these filters, in its order, as CSV (personal
 * data: the caller checks customers.export_pii). The audit entry — who, the filters, how many
 * rows — is written before the first byte leaves, so no export happens without one. The rows are
 * then read in keyset chunks as the client consumes the stream, each chunk its own short query
 * (no transaction held open for a slow download); customers created meanwhile sort before the
 * walk's position and are not included, so the file has the counted rows unless some were
 * changed to stop matching during the download.
 */
export async function exportCustomerList(ctx: ServiceContext, request: CustomerListExportRequest): Promise<{ rows: number; filename: string; body: ReadableStream<Uint8Array> }> {
  const filters: CustomerListFilters = {
    q: request.q,
    status: request.status,
    plan: request.plan,
    dunning: request.dunning,
    country: request.country,
    currency: request.currency,
  };
  const rows = await countCustomers(ctx.db, filters);
  await recordAudit(
    ctx.db,
    ctx.actor,
    {
      action: "customers.exported",
      entityType: "customer_list",
      entityId: "customers",
      after: { format: "csv", rows, filters: Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)), sort: `${request.sort}:${request.dir}` },
    },
    ctx.now,
    ctx.requestId,
  );

  const encoder = new TextEncoder();
  let cursor: string | null = null;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(CSV_BOM + csvRow(CUSTOMER_EXPORT_COLUMNS)));
        return;
      }
      const page = await listCustomers(ctx.db, { ...filters, sort: request.sort, dir: request.dir, limit: EXPORT_CHUNK, cursor });
      const text = page.rows
        .map((c) =>
          csvRow([
            c.id,
            c.externalId,
            c.name,
            c.email,
            c.subscriptionStatus ?? "none",
            c.planName,
            c.dunning,
            c.country,
            c.currency.toUpperCase(),
            toMajorString(c.creditBalance, c.currency),
            c.createdAt,
          ]),
        )
        .join("");
      if (text) controller.enqueue(encoder.encode(text));
      cursor = page.nextCursor;
      if (!cursor) controller.close();
    },
  });
  return { rows, filename: `customers-${ctx.now.toISOString().slice(0, 10)}.csv`, body };
}
