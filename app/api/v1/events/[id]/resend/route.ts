import { apiRoute } from "@/lib/api/handler";
import { resendEventOp } from "@/lib/api/operations/webhooks";
import { toWebhookDelivery } from "@/lib/api/resources/webhooks";
import { resendEvent } from "@/lib/services/webhooks/endpoints";

export const dynamic = "force-dynamic";

// The key's own endpoints only, and the event must be of the endpoint's mode (both in resendEvent).
export const POST = apiRoute(resendEventOp, async ({ db, actor, now, requestId, params, body }) => toWebhookDelivery(await resendEvent({ db, actor, now, requestId }, params.id, body.endpoint)));
