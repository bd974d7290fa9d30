import { and, eq, ne } from "drizzle-orm";
import { invoices } from "@/db/schema";
import { findInvoice } from "@/db/queries/invoices";
import { keysetPage } from "@/db/queries/paginate";
import { latestPayments } from "@/db/queries/payments";
import { apiRoute } from "@/lib/api/handler";
import { listInvoicesOp } from "@/lib/api/operations/invoices";
import { toList } from "@/lib/api/pagination";
import { toInvoice } from "@/lib/api/resources/invoice";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listInvoicesOp, async ({ db, apiKey, query, req }) => {
  const where = and(
    eq(invoices.livemode, apiKey.livemode),
    query.customer ? eq(invoices.customerId, query.customer) : undefined,
    query.subscription ? eq(invoices.subscriptionId, query.subscription) : undefined,
    query.status ? eq(invoices.status, query.status) : ne(invoices.status, "draft"),
  );
  const { rows, direction } = await keysetPage(db, invoices, where, { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  const full = await Promise.all(rows.map((r) => findInvoice(db, r.id)));
  const latest = await latestPayments(db, rows.map((r) => r.id));
  const data = full.flatMap((inv) => (inv ? [toInvoice(inv, latest.get(inv.id))] : []));
  return toList(data, query.limit, new URL(req.url).pathname, direction);
});
