import { and, eq } from "drizzle-orm";
import { payments } from "@/db/schema";
import { keysetPage } from "@/db/queries/paginate";
import { apiRoute } from "@/lib/api/handler";
import { listPaymentsOp, recordPaymentOp } from "@/lib/api/operations/payments";
import { findInvoice } from "@/db/queries/invoices";
import { notFound } from "@/lib/errors";
import { recordManualPayment } from "@/lib/services/payments/record-manual-payment";
import { toList } from "@/lib/api/pagination";
import { toPayment } from "@/lib/api/resources/payment";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listPaymentsOp, async ({ db, apiKey, query, req }) => {
  const where = and(
    eq(payments.livemode, apiKey.livemode),
    query.invoice ? eq(payments.invoiceId, query.invoice) : undefined,
    query.customer ? eq(payments.customerId, query.customer) : undefined,
  );
  const { rows, direction } = await keysetPage(db, payments, where, { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  return toList(rows.map(toPayment), query.limit, new URL(req.url).pathname, direction);
});

export const POST = apiRoute(recordPaymentOp, async ({ db, actor, apiKey, now, requestId, body }) => {
  const invoice = await findInvoice(db, body.invoice);
  if (!invoice || invoice.livemode !== apiKey.livemode) throw notFound("invoice", "invoice");
  const { payment } = await recordManualPayment({ db, actor, now, requestId }, { invoiceId: body.invoice, amount: body.amount, method: body.method, reference: body.reference ?? null });
  return toPayment(payment);
});
