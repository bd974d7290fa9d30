import { apiRoute } from "@/lib/api/handler";
import { cohortsOp } from "@/lib/api/operations/analytics";
import { cohortReport } from "@/lib/services/analytics/cohorts";

export const dynamic = "force-dynamic";

export const GET = apiRoute(cohortsOp, async ({ db, actor, now, query }) => {
  const r = await cohortReport({ db, actor, now }, { from: query.from, to: query.to, currency: query.currency });
  return { object: "cohort_grid" as const, from: r.from, to: r.to, currency: r.currency, rate_date: r.rate_date, data: r.cohorts };
});
