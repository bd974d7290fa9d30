import { apiRoute } from "@/lib/api/handler";
import { retrieveEntitlementsOp } from "@/lib/api/operations/customers";
import { notFound } from "@/lib/errors";
import { entitlementsFor } from "@/lib/services/customers/entitlements-cache";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrieveEntitlementsOp, async ({ db, apiKey, params }) => {
  const found = await entitlementsFor(db, params.id, apiKey.livemode);
  if (!found) throw notFound("customer", "id");
  return found;
});
