import { getDb } from "@/db/client";
import { findCreditNote } from "@/db/queries/credit-notes";
import { creditNotePdfResponse } from "@/lib/documents/pdf-response";
import { notFoundResponse, staffDenied } from "@/lib/documents/pdf-routes";
import { documentDefaults } from "@/lib/settings/defaults";

export const dynamic = "force-dynamic";

/** Any credit note as a PDF, for staff with invoices.read. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const denied = await staffDenied();
  if (denied) return denied;
  const db = await getDb();
  const note = await findCreditNote(db, id);
  if (!note) return notFoundResponse();
  return creditNotePdfResponse(db, note, { locale: documentDefaults.locale });
}
