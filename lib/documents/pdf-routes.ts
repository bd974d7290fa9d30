import type { Db } from "@/db/client";
import { can } from "@/lib/auth/permissions";
import { currentUser } from "@/lib/auth/session";
import { notFoundResponse, staffDownload } from "@/lib/http/staff-download";

export { notFoundResponse };

/**
 * Who may download a document, shared by the PDF routes: staff with invoices.read in the console
 * (invoices, credit notes and receipts alike), the signed-in subscriber for their own documents in the portal.
 * Anything not theirs is the same plain 404 as a missing one.
 */

/** A document for staff with invoices.read: `load` finds it (undefined: 404), `respond` renders it. */
export async function staffDocument<T>(load: (db: Db) => Promise<T | undefined>, respond: (db: Db, doc: T) => Promise<Response>): Promise<Response> {
  return staffDownload("invoices.read", async (db) => {
    const doc = await load(db);
    return doc ? respond(db, doc) : null;
  });
}

/**
 * The signed-in subscriber's customer id, or the response to give instead: a redirect to sign in
 * (back to `back` after), or a 404 for a signed-in user who is not a subscriber.
 */
export async function portalCustomer(request: Request, back: string): Promise<{ customerId: string } | Response> {
  const user = await currentUser();
  if (!user) return Response.redirect(new URL(`/sign-in?callbackUrl=${encodeURIComponent(back)}`, request.url), 303);
  if (!can(user.role, "portal.self") || !user.customerId) return notFoundResponse();
  return { customerId: user.customerId };
}
