import { AppError } from "@/lib/errors";
import { recordUsageEvent, ingestUsageEvents } from "@/lib/services/usage/ingest-usage-events";
import { apiRoute, WithStatus } from "./handler";
import { createUsageEventBatchOp, createUsageEventOp, usageEventInput } from "./operations/usage";
import { batchCounts, parseBatchItems } from "./batch";
import { toUsageEvent } from "./resources/usage-event";
import { countBatch, countOne, metrics } from "@/lib/observability/metrics";

/**
 * The two ingest endpoints' handlers, served by the Next routes (app/api/v1/usage_events) and by the
 * dedicated usage listener (USAGE_EVENTS_PORT, lib/api/usage-listener.ts): one pipeline for both.
 */
export const postUsageEvent = apiRoute(createUsageEventOp, async ({ db, actor, now, requestId, body }) => {
  const result = await recordUsageEvent({ db, actor, now, requestId }, usageEventInput(body));
  countOne(metrics().usageEvents, result);
  if ("problem" in result) throw new AppError(result.problem.code, { param: result.problem.param, userMessage: result.problem.detail });
  const event = toUsageEvent(result.event);
  return result.created ? event : new WithStatus(200, event);
});

export const postUsageEventBatch = apiRoute(createUsageEventBatchOp, async ({ db, actor, now, requestId, body }) => {
  const { valid, rejected } = parseBatchItems(createUsageEventOp.body, body.events, usageEventInput);
  const outcomes = await ingestUsageEvents(
    { db, actor, now, requestId },
    valid.map((v) => v.input),
    { malformed: rejected.map((r) => r.code) },
  );
  const counts = batchCounts(outcomes, valid, rejected);
  countBatch(metrics().usageEvents, counts);
  return { object: "usage_event_batch" as const, ...counts };
});
