import { eq } from "drizzle-orm";
import { webhookDeliveries } from "@/db/schema";
import { keysetPage } from "@/db/queries/paginate";
import { apiRoute } from "@/lib/api/handler";
import { listWebhookDeliveriesOp } from "@/lib/api/operations/webhooks";
import { toList } from "@/lib/api/pagination";
import { toWebhookDelivery } from "@/lib/api/resources/webhooks";
import { getWebhookEndpoint } from "@/lib/services/webhooks/endpoints";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listWebhookDeliveriesOp, async ({ db, actor, params, query, req }) => {
  await getWebhookEndpoint(db, params.id, actor);
  const { rows, direction } = await keysetPage(db, webhookDeliveries, eq(webhookDeliveries.endpointId, params.id), { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  return toList(rows.map(toWebhookDelivery), query.limit, new URL(req.url).pathname, direction);
});
