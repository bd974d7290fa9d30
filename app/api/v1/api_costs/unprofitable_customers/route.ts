import { apiRoute } from "@/lib/api/handler";
import { listUnprofitableCustomersOp } from "@/lib/api/operations/api-costs";
import { toList } from "@/lib/api/pagination";
import { toProfitability } from "@/lib/api/resources/api-cost";
import { unprofitableCustomers } from "@/lib/services/api-costs/profitability";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listUnprofitableCustomersOp, async ({ db, actor, now, query, req }) => {
  const range = { from: query.from, to: query.to, currency: query.currency };
  const rows = await unprofitableCustomers({ db, actor, now }, range, query.limit + 1);
  return toList(
    rows.map((r) => toProfitability(r.customer.id, range, r)),
    query.limit,
    new URL(req.url).pathname,
  );
});
