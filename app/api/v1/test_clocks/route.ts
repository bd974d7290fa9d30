import { testClocks } from "@/db/schema";
import { keysetPage } from "@/db/queries/paginate";
import { apiRoute } from "@/lib/api/handler";
import { createTestClockOp, listTestClocksOp, toTestClock } from "@/lib/api/operations/test-clocks";
import { toList } from "@/lib/api/pagination";
import { AppError } from "@/lib/errors";
import { createTestClock } from "@/lib/services/test-clocks/create-test-clock";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createTestClockOp, async ({ db, actor, apiKey, now, requestId, body }) => {
  if (apiKey.livemode) throw new AppError("forbidden", { userMessage: "Test clocks exist in test mode only. Use a tk_test_ key." });
  return toTestClock(await createTestClock({ db, actor, now, requestId }, { frozenTime: body.frozen_time, name: body.name ?? null }));
});

export const GET = apiRoute(listTestClocksOp, async ({ db, query, req }) => {
  const { rows, direction } = await keysetPage(db, testClocks, undefined, { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  return toList(rows.map(toTestClock), query.limit, new URL(req.url).pathname, direction);
});
