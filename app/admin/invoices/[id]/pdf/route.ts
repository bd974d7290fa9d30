import { findInvoice } from "@/db/queries/invoices";
import { staffDownload } from "@/lib/http/staff-download";
import { invoicePdfResponse } from "@/lib/invoices/pdf-response";

export const dynamic = "force-dynamic";

/** Any finalized invoice as a PDF, for staff with invoices.read. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return staffDownload("invoices.read", async (db) => {
    const invoice = await findInvoice(db, id);
    return invoice && invoice.status !== "draft" ? invoicePdfResponse(db, invoice) : null;
  });
}
