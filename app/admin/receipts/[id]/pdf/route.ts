import { findReceipt } from "@/db/queries/receipts";
import { receiptPdfResponse } from "@/lib/documents/pdf-response";
import { staffDocument } from "@/lib/documents/pdf-routes";

export const dynamic = "force-dynamic";

/** Any receipt as a PDF, for staff with invoices.read. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return staffDocument(
    (db) => findReceipt(db, id),
    (db, receipt) => receiptPdfResponse(db, receipt),
  );
}
