import { listPaymentMethods } from "@/db/queries/customers";
import { apiRoute } from "@/lib/api/handler";
import { attachPaymentMethodOp, listPaymentMethodsOp } from "@/lib/api/operations/customers";
import { toList } from "@/lib/api/pagination";
import { toPaymentMethod } from "@/lib/api/resources/payment-method";
import { customerForKey } from "@/lib/api/scope";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";

export const dynamic = "force-dynamic";

export const POST = apiRoute(attachPaymentMethodOp, async ({ db, actor, apiKey, now, requestId, params, body }) => {
  await customerForKey(db, params.id, apiKey.livemode);
  const row = await attachPaymentMethod({ db, actor, now, requestId }, { customerId: params.id, token: body.token });
  return toPaymentMethod(row, apiKey.livemode);
});

export const GET = apiRoute(listPaymentMethodsOp, async ({ db, apiKey, params, req }) => {
  await customerForKey(db, params.id, apiKey.livemode);
  const rows = await listPaymentMethods(db, params.id);
  return toList(rows.map((r) => toPaymentMethod(r, apiKey.livemode)), 100, new URL(req.url).pathname);
});
