import { findReceipt } from "@/db/queries/receipts";
import { staffDownload } from "@/lib/http/staff-download";
import { receiptPdfResponse } from "@/lib/services/receipts/receipt-document";

export const dynamic = "force-dynamic";

/** Any receipt as a PDF, for staff with invoices.read. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return staffDownload("invoices.read", async (db) => {
    const receipt = await findReceipt(db, id);
    return receipt ? receiptPdfResponse(db, receipt) : null;
  });
}
