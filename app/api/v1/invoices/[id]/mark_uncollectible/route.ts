import { apiRoute } from "@/lib/api/handler";
import { markInvoiceUncollectibleOp } from "@/lib/api/operations/invoices";
import { renderInvoice } from "@/lib/api/render-invoice";
import { invoiceForKey } from "@/lib/api/scope";
import { markInvoiceUncollectible } from "@/lib/services/invoices/void-invoice";

export const dynamic = "force-dynamic";

export const POST = apiRoute(markInvoiceUncollectibleOp, async ({ db, actor, apiKey, now, requestId, params }) => {
  await invoiceForKey(db, params.id, apiKey.livemode);
  const invoice = await markInvoiceUncollectible({ db, actor, now, requestId }, params.id);
  return renderInvoice(db, invoice.id);
});
