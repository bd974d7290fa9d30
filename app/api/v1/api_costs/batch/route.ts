import { batchCounts, parseBatchItems } from "@/lib/api/batch";
import { apiRoute } from "@/lib/api/handler";
import { apiCostInput, createApiCostBatchOp, createApiCostOp } from "@/lib/api/operations/api-costs";
import { recordApiCosts } from "@/lib/services/api-costs/record-api-costs";
import { countBatch, metrics } from "@/lib/observability/metrics";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createApiCostBatchOp, async ({ db, actor, now, requestId, body }) => {
  const { valid, rejected } = parseBatchItems(createApiCostOp.body, body.costs, apiCostInput);
  const outcomes = await recordApiCosts(
    { db, actor, now, requestId },
    valid.map((v) => v.input),
  );
  const counts = batchCounts(outcomes, valid, rejected);
  countBatch(metrics().apiCostEvents, counts);
  return { object: "api_cost_batch" as const, ...counts };
});
