import { getDb } from "@/db/client";
import { findReceipt } from "@/db/queries/receipts";
import { receiptPdfResponse } from "@/lib/documents/pdf-response";
import { notFoundResponse, portalCustomer } from "@/lib/documents/pdf-routes";

export const dynamic = "force-dynamic";

/** The subscriber's own receipt as a PDF. Another customer's receipt or a missing one: the same 404. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const who = await portalCustomer(request, "/receipts");
  if (who instanceof Response) return who;
  const db = await getDb();
  const receipt = await findReceipt(db, id);
  if (!receipt || receipt.customerId !== who.customerId) return notFoundResponse();
  return receiptPdfResponse(db, receipt);
}
