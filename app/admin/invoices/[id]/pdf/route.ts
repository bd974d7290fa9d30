import { getDb } from "@/db/client";
import { findInvoice } from "@/db/queries/invoices";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { invoicePdfResponse } from "@/lib/invoices/pdf-response";
import { httpStatus } from "@/lib/api/problem";

export const dynamic = "force-dynamic";

/** Any finalized invoice as a PDF, for staff with invoices.read (denials are logged by requireUser). */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  try {
    await requireUser("invoices.read");
  } catch (error) {
    if (error instanceof AppError) return new Response(error.userMessage, { status: httpStatus(error), headers: { "content-type": "text/plain; charset=utf-8" } });
    throw error;
  }
  const db = await getDb();
  const invoice = await findInvoice(db, id);
  if (!invoice || invoice.status === "draft") return new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  return invoicePdfResponse(db, invoice);
}
