import { getDb } from "@/db/client";
import { findCreditNote } from "@/db/queries/credit-notes";
import { creditNotePdfResponse } from "@/lib/documents/pdf-response";
import { notFoundResponse, portalCustomer } from "@/lib/documents/pdf-routes";

export const dynamic = "force-dynamic";

/** The subscriber's own credit note as a PDF. Another customer's or a missing one: the same 404. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const who = await portalCustomer(request, "/invoices");
  if (who instanceof Response) return who;
  const db = await getDb();
  const note = await findCreditNote(db, id);
  if (!note || note.customerId !== who.customerId) return notFoundResponse();
  return creditNotePdfResponse(db, note);
}
