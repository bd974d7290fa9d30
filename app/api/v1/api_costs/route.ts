import { AppError } from "@/lib/errors";
import { apiRoute, WithStatus } from "@/lib/api/handler";
import { apiCostInput, createApiCostOp } from "@/lib/api/operations/api-costs";
import { toApiCost } from "@/lib/api/resources/api-cost";
import { recordApiCost } from "@/lib/services/api-costs/record-api-costs";
import { countOne, metrics } from "@/lib/observability/metrics";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createApiCostOp, async ({ db, actor, now, requestId, body }) => {
  const result = await recordApiCost({ db, actor, now, requestId }, apiCostInput(body));
  countOne(metrics().apiCostEvents, result);
  if ("problem" in result) throw new AppError(result.problem.code, { param: result.problem.param, userMessage: result.problem.detail });
  const cost = toApiCost(result.cost);
  return result.created ? cost : new WithStatus(200, cost);
});
