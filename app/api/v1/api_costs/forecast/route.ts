import { apiRoute } from "@/lib/api/handler";
import { apiCostForecastOp } from "@/lib/api/operations/api-costs";
import { iso } from "@/lib/api/resources/common";
import { costForecast } from "@/lib/services/api-costs/forecast";

export const dynamic = "force-dynamic";

export const GET = apiRoute(apiCostForecastOp, async ({ db, actor, now, query }) => {
  const f = await costForecast({ db, actor, now }, { month: query.month, provider: query.provider, currency: query.currency });
  return { object: "api_cost_forecast" as const, month: f.month, provider: f.provider, spent: f.spent, forecast: f.forecast, budget: f.budget, currency: f.currency, method: f.method, as_of: iso(f.asOf) };
});
