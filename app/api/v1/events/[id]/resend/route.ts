import { apiRoute } from "@/lib/api/handler";
import { resendEventOp } from "@/lib/api/operations/webhooks";
import { toWebhookDelivery } from "@/lib/api/resources/webhooks";
import { resendEvent } from "@/lib/services/webhooks/endpoints";

export const dynamic = "force-dynamic";

export const POST = apiRoute(resendEventOp, async ({ db, actor, now, requestId, params, body }) => toWebhookDelivery(await resendEvent({ db, actor, now, requestId }, params.id, body.endpoint)));
