import { getDb } from "@/db/client";
import { findInvoice } from "@/db/queries/invoices";
import { currentUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { invoicePdfResponse } from "@/lib/invoices/pdf-response";

export const dynamic = "force-dynamic";

/** The subscriber's own invoice as a PDF. Another customer's invoice, a draft or a missing one: the same 404. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const user = await currentUser();
  if (!user) {
    const back = `/invoices/${encodeURIComponent(id)}`;
    return Response.redirect(new URL(`/sign-in?callbackUrl=${encodeURIComponent(back)}`, request.url), 303);
  }
  if (!can(user.role, "portal.self") || !user.customerId) return notFound();
  const db = await getDb();
  const invoice = await findInvoice(db, id);
  if (!invoice || invoice.customerId !== user.customerId || invoice.status === "draft") return notFound();
  return invoicePdfResponse(db, invoice);
}

function notFound(): Response {
  return new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}
