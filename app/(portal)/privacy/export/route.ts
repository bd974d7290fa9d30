import { getDb } from "@/db/client";
import { can } from "@/lib/auth/permissions";
import { actorOf, currentUser } from "@/lib/auth/session";
import { exportCustomerData, exportFileName } from "@/lib/services/privacy/export-customer-data";

export const dynamic = "force-dynamic";

/** "Download my data": everything Tally holds about the signed-in customer, as a JSON file (audited). */
export async function GET(request: Request): Promise<Response> {
  const user = await currentUser();
  if (!user) return Response.redirect(new URL(`/sign-in?callbackUrl=${encodeURIComponent("/privacy")}`, request.url), 303);
  if (!can(user.role, "portal.self") || !user.customerId) return new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  const now = new Date();
  const data = await exportCustomerData({ db: await getDb(), actor: actorOf(user), now }, user.customerId);
  return new Response(`${JSON.stringify(data, null, 2)}\n`, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${exportFileName(user.customerId, now)}"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
