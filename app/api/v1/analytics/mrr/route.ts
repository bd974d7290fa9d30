import { apiRoute } from "@/lib/api/handler";
import { mrrSeriesOp } from "@/lib/api/operations/analytics";
import { mrrSeries } from "@/lib/services/analytics/mrr";

export const dynamic = "force-dynamic";

export const GET = apiRoute(mrrSeriesOp, async ({ db, actor, now, query }) => {
  const series = await mrrSeries({ db, actor, now }, { from: query.from, to: query.to, interval: query.interval, currency: query.currency });
  return { object: "mrr_series" as const, currency: series.currency, interval: query.interval, data: series.data };
});
