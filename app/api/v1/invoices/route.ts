import { and, eq, ne } from "drizzle-orm";
import { invoices } from "@/db/schema";
import { findInvoice } from "@/db/queries/invoices";
import { keysetPage } from "@/db/queries/paginate";
import { latestPayments } from "@/db/queries/payments";
import { apiRoute } from "@/lib/api/handler";
import { createInvoiceOp, listInvoicesOp } from "@/lib/api/operations/invoices";
import { toList } from "@/lib/api/pagination";
import { renderInvoice } from "@/lib/api/render-invoice";
import { toInvoice } from "@/lib/api/resources/invoice";
import { customerForKey } from "@/lib/api/scope";
import { createOneOffInvoice } from "@/lib/services/invoices/create-one-off-invoice";

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

export const POST = apiRoute(createInvoiceOp, async ({ db, actor, apiKey, now, requestId, body }) => {
  await customerForKey(db, body.customer, apiKey.livemode, "customer");
  const invoice = await createOneOffInvoice(
    { db, actor, now, requestId },
    {
      customerId: body.customer,
      lines: body.lines.map((l) => ({ description: l.description, unitAmount: l.amount, quantity: l.quantity ?? 1, taxBehavior: l.tax_behavior })),
      collectionMethod: body.collection_method,
      daysUntilDue: body.days_until_due,
      autoAdvance: body.auto_advance,
    },
  );
  return renderInvoice(db, invoice.id);
});
