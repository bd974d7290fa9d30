import { apiRoute } from "@/lib/api/handler";
import { resendEventOp } from "@/lib/api/operations/webhooks";
import { toWebhookDelivery } from "@/lib/api/resources/webhooks";
import { AppError } from "@/lib/errors";
import { getWebhookEndpoint, resendEvent } from "@/lib/services/webhooks/endpoints";

export const dynamic = "force-dynamic";

export const POST = apiRoute(resendEventOp, async ({ db, actor, apiKey, now, requestId, params, body }) => {
  // The key's own endpoints only; the event must be of the endpoint's mode (resendEvent).
  const endpoint = await getWebhookEndpoint(db, body.endpoint);
  if ((endpoint.livemode === "live") !== apiKey.livemode) throw new AppError("not_found", { param: "endpoint", userMessage: `No such webhook endpoint: ${body.endpoint}.` });
  return toWebhookDelivery(await resendEvent({ db, actor, now, requestId }, params.id, body.endpoint));
});
