import { apiRoute } from "@/lib/api/handler";
import { analyticsSummaryOp } from "@/lib/api/operations/analytics";
import { analyticsSummary } from "@/lib/services/analytics/summary";

export const dynamic = "force-dynamic";

export const GET = apiRoute(analyticsSummaryOp, async ({ db, actor, now, query }) => {
  const summary = await analyticsSummary({ db, actor, now }, { date: query.date, currency: query.currency });
  return { object: "analytics_summary" as const, ...summary };
});
