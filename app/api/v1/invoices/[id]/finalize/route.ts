import { apiRoute } from "@/lib/api/handler";
import { finalizeInvoiceOp } from "@/lib/api/operations/invoices";
import { renderInvoice } from "@/lib/api/render-invoice";
import { invoiceForKey } from "@/lib/api/scope";
import { finalizeDraftInvoice } from "@/lib/services/invoices/finalize-draft-invoice";

export const dynamic = "force-dynamic";

export const POST = apiRoute(finalizeInvoiceOp, async ({ db, actor, apiKey, now, requestId, params }) => {
  await invoiceForKey(db, params.id, apiKey.livemode);
  const invoice = await finalizeDraftInvoice({ db, actor, now, requestId }, params.id);
  return renderInvoice(db, invoice.id);
});
