import { apiRoute } from "@/lib/api/handler";
import { deleteWebhookEndpointOp, retrieveWebhookEndpointOp, updateWebhookEndpointOp } from "@/lib/api/operations/webhooks";
import { toWebhookEndpoint } from "@/lib/api/resources/webhooks";
import { deleteWebhookEndpoint, getWebhookEndpoint, setWebhookEndpointEnabled, updateWebhookEndpoint } from "@/lib/services/webhooks/endpoints";

export const dynamic = "force-dynamic";

// An API key sees only the endpoints of its own mode: the service refuses the others as not found.

export const GET = apiRoute(retrieveWebhookEndpointOp, async ({ db, actor, now, params }) => toWebhookEndpoint(await getWebhookEndpoint(db, params.id, actor), now));

export const PATCH = apiRoute(updateWebhookEndpointOp, async ({ db, actor, now, requestId, params, body }) => {
  const ctx = { db, actor, now, requestId };
  const updated = await updateWebhookEndpoint(ctx, params.id, { url: body.url, events: body.enabled_events, description: body.description });
  return toWebhookEndpoint(body.disabled === undefined ? updated : await setWebhookEndpointEnabled(ctx, params.id, !body.disabled), now);
});

export const DELETE = apiRoute(deleteWebhookEndpointOp, async ({ db, actor, now, requestId, params }) => {
  await deleteWebhookEndpoint({ db, actor, now, requestId }, params.id);
  return { id: params.id, object: "webhook_endpoint" as const, deleted: true as const };
});
