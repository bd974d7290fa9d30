import { apiRoute } from "@/lib/api/handler";
import { voidInvoiceOp } from "@/lib/api/operations/invoices";
import { renderInvoice } from "@/lib/api/render-invoice";
import { invoiceForKey } from "@/lib/api/scope";
import { voidInvoice } from "@/lib/services/invoices/void-invoice";

export const dynamic = "force-dynamic";

export const POST = apiRoute(voidInvoiceOp, async ({ db, actor, apiKey, now, requestId, params }) => {
  await invoiceForKey(db, params.id, apiKey.livemode);
  const invoice = await voidInvoice({ db, actor, now, requestId }, params.id);
  return renderInvoice(db, invoice.id);
});
