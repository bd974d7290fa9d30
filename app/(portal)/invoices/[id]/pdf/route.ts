import { getDb } from "@/db/client";
import { findInvoice } from "@/db/queries/invoices";
import { invoicePdfResponse } from "@/lib/documents/pdf-response";
import { notFoundResponse, portalCustomer } from "@/lib/documents/pdf-routes";

export const dynamic = "force-dynamic";

/** The subscriber's own invoice as a PDF. Another customer's invoice, a draft or a missing one: the same 404. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const who = await portalCustomer(request, `/invoices/${encodeURIComponent(id)}`);
  if (who instanceof Response) return who;
  const db = await getDb();
  const invoice = await findInvoice(db, id);
  if (!invoice || invoice.customerId !== who.customerId || invoice.status === "draft") return notFoundResponse();
  return invoicePdfResponse(db, invoice);
}
