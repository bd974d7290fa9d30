import { apiRoute } from "@/lib/api/handler";
import { customerProfitabilityOp } from "@/lib/api/operations/api-costs";
import { iso } from "@/lib/api/resources/common";
import { customerProfitability } from "@/lib/services/api-costs/profitability";

export const dynamic = "force-dynamic";

export const GET = apiRoute(customerProfitabilityOp, async ({ db, actor, now, params, query }) => {
  const p = await customerProfitability({ db, actor, now }, params.id, { from: query.from, to: query.to, currency: query.currency });
  return { object: "customer_profitability" as const, customer: params.id, from: iso(query.from), to: iso(query.to), revenue: p.revenue, api_cost: p.apiCost, gateway_fees: p.gatewayFees, margin: p.margin, currency: p.currency };
});
