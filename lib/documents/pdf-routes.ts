import { getDb, type Db } from "@/db/client";
import { httpStatus } from "@/lib/api/problem";
import { can } from "@/lib/auth/permissions";
import { currentUser, requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";

/**
 * Who may download a document, shared by the PDF routes: staff with invoices.read in the console
 * (invoices and credit notes alike), the signed-in subscriber for their own documents in the portal.
 * Anything not theirs is the same plain 404 as a missing one.
 */

export function notFoundResponse(): Response {
  return new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

/** A document for staff with invoices.read: `load` finds it (undefined: 404), `respond` renders it. */
export async function staffDocument<T>(load: (db: Db) => Promise<T | undefined>, respond: (db: Db, doc: T) => Promise<Response>): Promise<Response> {
  const denied = await staffDenied();
  if (denied) return denied;
  const db = await getDb();
  const doc = await load(db);
  return doc ? respond(db, doc) : notFoundResponse();
}

/** The plain-text refusal when the caller is not staff who may read invoices, else null (denials are logged by requireUser). */
async function staffDenied(): Promise<Response | null> {
  try {
    await requireUser("invoices.read");
    return null;
  } catch (error) {
    if (error instanceof AppError) return new Response(error.userMessage, { status: httpStatus(error), headers: { "content-type": "text/plain; charset=utf-8" } });
    throw error;
  }
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
