import { batchCounts, parseBatchItems } from "@/lib/api/batch";
import { apiRoute } from "@/lib/api/handler";
import { createUsageEventBatchOp, createUsageEventOp, usageEventInput } from "@/lib/api/operations/usage";
import { ingestUsageEvents } from "@/lib/services/usage/ingest-usage-events";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createUsageEventBatchOp, async ({ db, actor, now, requestId, body }) => {
  const { valid, rejected } = parseBatchItems(createUsageEventOp.body, body.events, usageEventInput);
  const outcomes = await ingestUsageEvents(
    { db, actor, now, requestId },
    valid.map((v) => v.input),
  );
  return { object: "usage_event_batch" as const, ...batchCounts(outcomes, valid, rejected) };
});
