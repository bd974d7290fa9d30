import { findInvoice } from "@/db/queries/invoices";
import { latestPayments } from "@/db/queries/payments";
import { apiRoute } from "@/lib/api/handler";
import { retrieveInvoiceOp } from "@/lib/api/operations/invoices";
import { toInvoice } from "@/lib/api/resources/invoice";
import { notFound } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrieveInvoiceOp, async ({ db, apiKey, params }) => {
  const invoice = await findInvoice(db, params.id);
  if (!invoice || invoice.livemode !== apiKey.livemode) throw notFound("invoice", "id");
  const latest = await latestPayments(db, [invoice.id]);
  return toInvoice(invoice, latest.get(invoice.id));
});
