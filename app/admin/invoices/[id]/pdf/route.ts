import { getDb } from "@/db/client";
import { findInvoice } from "@/db/queries/invoices";
import { invoicePdfResponse } from "@/lib/documents/pdf-response";
import { notFoundResponse, staffDenied } from "@/lib/documents/pdf-routes";
import { documentDefaults } from "@/lib/settings/defaults";

export const dynamic = "force-dynamic";

/** Any finalized invoice as a PDF, for staff with invoices.read. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const denied = await staffDenied();
  if (denied) return denied;
  const db = await getDb();
  const invoice = await findInvoice(db, id);
  if (!invoice || invoice.status === "draft") return notFoundResponse();
  return invoicePdfResponse(db, invoice, { locale: documentDefaults.locale });
}
