import { apiRoute } from "@/lib/api/handler";
import { createUsageEventBatchOp, createUsageEventOp, usageEventInput } from "@/lib/api/operations/usage";
import { fromZod } from "@/lib/api/problem";
import { ingestUsageEvents, type UsageEventInput } from "@/lib/services/usage/ingest-usage-events";

export const dynamic = "force-dynamic";

type Rejection = { index: number; code: string; param?: string; detail: string };

export const POST = apiRoute(createUsageEventBatchOp, async ({ db, actor, now, requestId, body }) => {
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
