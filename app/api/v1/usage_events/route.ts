import { AppError } from "@/lib/errors";
import { apiRoute, WithStatus } from "@/lib/api/handler";
import { createUsageEventOp, usageEventInput } from "@/lib/api/operations/usage";
import { toUsageEvent } from "@/lib/api/resources/usage-event";
import { recordUsageEvent } from "@/lib/services/usage/ingest-usage-events";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createUsageEventOp, async ({ db, actor, now, requestId, body }) => {
  const result = await recordUsageEvent({ db, actor, now, requestId }, usageEventInput(body));
  if ("problem" in result) throw new AppError(result.problem.code, { param: result.problem.param, userMessage: result.problem.detail });
  const event = toUsageEvent(result.event);
  return result.created ? event : new WithStatus(200, event);
});
