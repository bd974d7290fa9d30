import { apiRoute } from "@/lib/api/handler";
import { apiCostSummaryOp } from "@/lib/api/operations/api-costs";
import { costSummary } from "@/lib/services/api-costs/summary";

export const dynamic = "force-dynamic";

export const GET = apiRoute(apiCostSummaryOp, async ({ db, actor, now, query }) => {
  const summary = await costSummary({ db, actor, now }, { from: query.from, to: query.to, groupBy: query.group_by, currency: query.currency, provider: query.provider, customerId: query.customer });
  return {
    object: "api_cost_summary" as const,
    group_by: query.group_by,
    currency: summary.currency,
    data: summary.data.map((r) => ({ key: r.key, units: r.units, cost: r.cost, cost_decimal: r.costDecimal, currency: r.currency, count: r.count })),
  };
});
