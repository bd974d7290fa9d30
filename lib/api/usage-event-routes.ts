import { AppError } from "@/lib/errors";
import { recordUsageEvent, ingestUsageEvents, type UsageEventInput } from "@/lib/services/usage/ingest-usage-events";
import { apiRoute, WithStatus } from "./handler";
import { createUsageEventBatchOp, createUsageEventOp, usageEventInput } from "./operations/usage";
import { fromZod } from "./problem";
import { toUsageEvent } from "./resources/usage-event";

/**
 * The two ingest endpoints' handlers, served by the Next routes (app/api/v1/usage_events) and by the
 * dedicated usage listener (USAGE_EVENTS_PORT, lib/api/usage-listener.ts): one pipeline for both.
 */
export const postUsageEvent = apiRoute(createUsageEventOp, async ({ db, actor, now, requestId, body }) => {
  const result = await recordUsageEvent({ db, actor, now, requestId }, usageEventInput(body));
  if ("problem" in result) throw new AppError(result.problem.code, { param: result.problem.param, userMessage: result.problem.detail });
  const event = toUsageEvent(result.event);
  return result.created ? event : new WithStatus(200, event);
});

type Rejection = { index: number; code: string; param?: string; detail: string };

export const postUsageEventBatch = apiRoute(createUsageEventBatchOp, async ({ db, actor, now, requestId, body }) => {
  // Each event is validated on its own, with the single endpoint's schema: a malformed one is
  // rejected by itself instead of failing the request.
  const rejected: Rejection[] = [];
  const valid: { index: number; input: UsageEventInput }[] = [];
  body.events.forEach((raw, index) => {
    const parsed = createUsageEventOp.body.safeParse(raw);
    if (parsed.success) valid.push({ index, input: usageEventInput(parsed.data) });
    else {
      const problem = fromZod(parsed.error.issues);
      rejected.push({ index, code: problem.code, param: problem.param, detail: problem.detail });
    }
  });
  const outcomes = await ingestUsageEvents(
    { db, actor, now, requestId },
    valid.map((v) => v.input),
    { malformed: rejected.map((r) => r.code) },
  );
  let accepted = 0;
  let duplicates = 0;
  outcomes.forEach((outcome, n) => {
    if (outcome.status === "accepted") accepted += 1;
    else if (outcome.status === "duplicate") duplicates += 1;
    else rejected.push({ index: valid[n]?.index ?? -1, ...outcome.problem });
  });
  rejected.sort((a, b) => a.index - b.index);
  return { object: "usage_event_batch" as const, accepted, duplicates, rejected };
});
