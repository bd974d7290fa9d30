import { apiRoute } from "@/lib/api/handler";
import { detachPaymentMethodOp } from "@/lib/api/operations/payments";
import { toPaymentMethod } from "@/lib/api/resources/payment-method";
import { detachPaymentMethod } from "@/lib/services/payment-methods/detach-payment-method";

export const dynamic = "force-dynamic";

export const DELETE = apiRoute(detachPaymentMethodOp, async ({ db, actor, apiKey, now, requestId, params }) =>
  toPaymentMethod(await detachPaymentMethod({ db, actor, now, requestId }, params.id, { livemode: apiKey.livemode }), apiKey.livemode),
);
