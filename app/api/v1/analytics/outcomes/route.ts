import { apiRoute } from "@/lib/api/handler";
import { outcomesOp } from "@/lib/api/operations/analytics";
import { outcomesReport } from "@/lib/services/analytics/outcomes";

export const dynamic = "force-dynamic";

export const GET = apiRoute(outcomesOp, async ({ db, actor, now, query }) => {
  const r = await outcomesReport({ db, actor, now }, { from: query.from, to: query.to });
  return { object: "analytics_outcomes" as const, ...r };
});
