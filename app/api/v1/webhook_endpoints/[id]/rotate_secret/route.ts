import { apiRoute } from "@/lib/api/handler";
import { rotateWebhookSecretOp } from "@/lib/api/operations/webhooks";
import { toWebhookEndpoint } from "@/lib/api/resources/webhooks";
import { rotateWebhookSecret } from "@/lib/services/webhooks/endpoints";

export const dynamic = "force-dynamic";

export const POST = apiRoute(rotateWebhookSecretOp, async ({ db, actor, now, requestId, params }) => {
  const { secret, endpoint } = await rotateWebhookSecret({ db, actor, now, requestId }, params.id);
  return toWebhookEndpoint(endpoint, now, secret);
});
