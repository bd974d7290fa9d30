import { apiRoute } from "@/lib/api/handler";
import { retrieveEntitlementsOp } from "@/lib/api/operations/customers";
import { customerForKey } from "@/lib/api/scope";
import { customerEntitlements } from "@/lib/services/customers/entitlements";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrieveEntitlementsOp, async ({ db, apiKey, params }) => {
  const customer = await customerForKey(db, params.id, apiKey.livemode);
  return { object: "entitlements" as const, customer: customer.id, ...(await customerEntitlements(db, customer)) };
});
