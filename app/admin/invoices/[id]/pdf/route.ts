import { findInvoice } from "@/db/queries/invoices";
import { invoicePdfResponse } from "@/lib/documents/pdf-response";
import { staffDocument } from "@/lib/documents/pdf-routes";

export const dynamic = "force-dynamic";

/** Any finalized invoice as a PDF, for staff with invoices.read. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return staffDocument(
    async (db) => {
      const invoice = await findInvoice(db, id);
      return invoice?.status === "draft" ? undefined : invoice;
    },
    (db, invoice) => invoicePdfResponse(db, invoice),
  );
}
