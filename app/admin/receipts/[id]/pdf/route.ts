import { getDb } from "@/db/client";
import { findReceipt } from "@/db/queries/receipts";
import { httpStatus } from "@/lib/api/problem";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { receiptPdfResponse } from "@/lib/services/receipts/receipt-document";

export const dynamic = "force-dynamic";

/** Any receipt as a PDF, for staff with invoices.read (denials are logged by requireUser). */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  try {
    await requireUser("invoices.read");
  } catch (error) {
    if (error instanceof AppError) return new Response(error.userMessage, { status: httpStatus(error), headers: { "content-type": "text/plain; charset=utf-8" } });
    throw error;
  }
  const db = await getDb();
  const receipt = await findReceipt(db, id);
  if (!receipt) return new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  return receiptPdfResponse(db, receipt);
}
