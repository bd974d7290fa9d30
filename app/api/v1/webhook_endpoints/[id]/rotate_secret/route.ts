import { apiRoute } from "@/lib/api/handler";
import { rotateWebhookSecretOp } from "@/lib/api/operations/webhooks";
import { toWebhookEndpoint } from "@/lib/api/resources/webhooks";
import { getWebhookEndpointForKey, rotateWebhookSecret } from "@/lib/services/webhooks/endpoints";

export const dynamic = "force-dynamic";

export const POST = apiRoute(rotateWebhookSecretOp, async ({ db, actor, apiKey, now, requestId, params }) => {
  await getWebhookEndpointForKey(db, params.id, apiKey);
  const { secret } = await rotateWebhookSecret({ db, actor, now, requestId }, params.id);
  return toWebhookEndpoint(await getWebhookEndpointForKey(db, params.id, apiKey), now, secret);
});
