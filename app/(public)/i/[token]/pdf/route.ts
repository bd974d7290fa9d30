import { getDb } from "@/db/client";
import { findInvoiceByHostedToken } from "@/db/queries/invoices";
import { invoicePdfResponse } from "@/lib/documents/pdf-response";
import { notFoundResponse } from "@/lib/documents/pdf-routes";

export const dynamic = "force-dynamic";

/** The hosted invoice's PDF: like the hosted page, anyone holding the unguessable token may fetch it, without a session. */
export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  const { token } = await params;
  const db = await getDb();
  const invoice = await findInvoiceByHostedToken(db, token);
  if (!invoice || invoice.status === "draft") return notFoundResponse();
  return invoicePdfResponse(db, invoice);
}
