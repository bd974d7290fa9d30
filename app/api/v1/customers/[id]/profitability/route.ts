import { apiRoute } from "@/lib/api/handler";
import { customerProfitabilityOp } from "@/lib/api/operations/api-costs";
import { toProfitability } from "@/lib/api/resources/api-cost";
import { customerProfitability } from "@/lib/services/api-costs/profitability";

export const dynamic = "force-dynamic";

export const GET = apiRoute(customerProfitabilityOp, async ({ db, actor, now, params, query }) => {
  const range = { from: query.from, to: query.to, currency: query.currency };
  return toProfitability(params.id, range, await customerProfitability({ db, actor, now }, params.id, range));
});
