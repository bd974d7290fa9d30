import { getDb } from "@/db/client";
import { findReceipt } from "@/db/queries/receipts";
import { can } from "@/lib/auth/permissions";
import { currentUser } from "@/lib/auth/session";
import { receiptPdfResponse } from "@/lib/services/receipts/receipt-document";

export const dynamic = "force-dynamic";

/** The subscriber's own receipt as a PDF. Another customer's receipt or a missing one: the same 404. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const user = await currentUser();
  if (!user) return Response.redirect(new URL(`/sign-in?callbackUrl=${encodeURIComponent("/receipts")}`, request.url), 303);
  if (!can(user.role, "portal.self") || !user.customerId) return notFound();
  const db = await getDb();
  const receipt = await findReceipt(db, id);
  if (!receipt || receipt.customerId !== user.customerId) return notFound();
  return receiptPdfResponse(db, receipt);
}

function notFound(): Response {
  return new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}
