import { apiRoute } from "@/lib/api/handler";
import { advanceTestClockOp, toTestClock } from "@/lib/api/operations/test-clocks";
import { advanceTestClock } from "@/lib/services/test-clocks/advance-test-clock";

export const dynamic = "force-dynamic";

export const POST = apiRoute(advanceTestClockOp, async ({ db, actor, now, requestId, params, body }) =>
  toTestClock(await advanceTestClock({ db, actor, now, requestId }, params.id, body.frozen_time)),
);
