import { findCreditNote } from "@/db/queries/credit-notes";
import { creditNotePdfResponse } from "@/lib/documents/pdf-response";
import { staffDocument } from "@/lib/documents/pdf-routes";

export const dynamic = "force-dynamic";

/** Any credit note as a PDF, for staff with invoices.read. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return staffDocument(
    (db) => findCreditNote(db, id),
    (db, note) => creditNotePdfResponse(db, note),
  );
}
