import { apiRoute } from "@/lib/api/handler";
import { createPortalSessionOp, toPortalFlow, toPortalSession } from "@/lib/api/operations/portal-sessions";
import { createPortalSession } from "@/lib/services/portal/portal-sessions";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createPortalSessionOp, async ({ db, actor, now, requestId, body }) =>
  toPortalSession(await createPortalSession({ db, actor, now, requestId }, { customerId: body.customer, returnUrl: body.return_url ?? null, flow: toPortalFlow(body.flow_data) })),
);
