import { apiRoute } from "@/lib/api/handler";
import { payInvoiceOp } from "@/lib/api/operations/invoices";
import { renderInvoice } from "@/lib/api/render-invoice";
import { invoiceForKey } from "@/lib/api/scope";
import { payInvoice } from "@/lib/services/invoices/pay-invoice";

export const dynamic = "force-dynamic";

export const POST = apiRoute(payInvoiceOp, async ({ db, actor, apiKey, now, requestId, params, body }) => {
  await invoiceForKey(db, params.id, apiKey.livemode);
  const { invoice } = await payInvoice({ db, actor, now, requestId }, params.id, { paidOutOfBand: body.paid_out_of_band });
  return renderInvoice(db, invoice.id);
});
