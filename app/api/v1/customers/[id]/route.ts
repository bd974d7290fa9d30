import { apiRoute } from "@/lib/api/handler";
import { retrieveCustomerOp, updateCustomerOp } from "@/lib/api/operations/customers";
import { toCustomer } from "@/lib/api/resources/customer";
import { customerForKey } from "@/lib/api/scope";
import { updateCustomer } from "@/lib/services/customers/update-customer";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrieveCustomerOp, async ({ db, apiKey, params }) => toCustomer(await customerForKey(db, params.id, apiKey.livemode)));

export const PATCH = apiRoute(updateCustomerOp, async ({ db, actor, apiKey, now, requestId, params, body }) => {
  await customerForKey(db, params.id, apiKey.livemode);
  const row = await updateCustomer(
    { db, actor, now, requestId },
    params.id,
    {
      email: body.email,
      name: body.name,
      timezone: body.timezone,
      preferredLocales: body.preferred_locales,
      address: body.address,
      metadata: body.metadata,
      defaultPaymentMethodId: body.default_payment_method,
      taxIds: body.tax_ids,
      currency: body.currency,
    },
  );
  return toCustomer(row);
});
