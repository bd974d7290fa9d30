import { apiRoute } from "@/lib/api/handler";
import { createWebhookEndpointOp, listWebhookEndpointsOp } from "@/lib/api/operations/webhooks";
import { toList } from "@/lib/api/pagination";
import { toWebhookEndpoint } from "@/lib/api/resources/webhooks";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/services/webhooks/endpoints";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createWebhookEndpointOp, async ({ db, actor, apiKey, now, requestId, body }) => {
  const row = await createWebhookEndpoint({ db, actor, now, requestId }, { url: body.url, description: body.description, events: body.enabled_events, livemode: apiKey.livemode });
  return toWebhookEndpoint(row, now, row.secret);
});

export const GET = apiRoute(listWebhookEndpointsOp, async ({ db, apiKey, now, req }) => {
  const rows = (await listWebhookEndpoints(db)).filter((r) => (r.livemode === "live") === apiKey.livemode);
  return toList(rows.map((r) => toWebhookEndpoint(r, now)), rows.length, new URL(req.url).pathname);
});
