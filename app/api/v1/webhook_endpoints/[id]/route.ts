import { apiRoute } from "@/lib/api/handler";
import { deleteWebhookEndpointOp, retrieveWebhookEndpointOp, updateWebhookEndpointOp } from "@/lib/api/operations/webhooks";
import { toWebhookEndpoint } from "@/lib/api/resources/webhooks";
import { deleteWebhookEndpoint, getWebhookEndpointForKey, setWebhookEndpointEnabled, updateWebhookEndpoint } from "@/lib/services/webhooks/endpoints";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrieveWebhookEndpointOp, async ({ db, apiKey, now, params }) => toWebhookEndpoint(await getWebhookEndpointForKey(db, params.id, apiKey), now));

export const PATCH = apiRoute(updateWebhookEndpointOp, async ({ db, actor, apiKey, now, requestId, params, body }) => {
  const ctx = { db, actor, now, requestId };
  await getWebhookEndpointForKey(db, params.id, apiKey);
  await updateWebhookEndpoint(ctx, params.id, { url: body.url, events: body.enabled_events, description: body.description });
  if (body.disabled !== undefined) await setWebhookEndpointEnabled(ctx, params.id, !body.disabled);
  return toWebhookEndpoint(await getWebhookEndpointForKey(db, params.id, apiKey), now);
});

export const DELETE = apiRoute(deleteWebhookEndpointOp, async ({ db, actor, apiKey, now, requestId, params }) => {
  await getWebhookEndpointForKey(db, params.id, apiKey);
  await deleteWebhookEndpoint({ db, actor, now, requestId }, params.id);
  return { id: params.id, object: "webhook_endpoint" as const, deleted: true as const };
});
