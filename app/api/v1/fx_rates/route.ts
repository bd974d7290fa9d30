import { apiRoute } from "@/lib/api/handler";
import { createFxRateOp, listFxRatesOp } from "@/lib/api/operations/api-costs";
import { toList } from "@/lib/api/pagination";
import { toFxRate } from "@/lib/api/resources/api-cost";
import { listFxRates, recordFxRate } from "@/lib/services/api-costs/fx";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createFxRateOp, async ({ db, actor, now, requestId, body }) => toFxRate(await recordFxRate({ db, actor, now, requestId }, body)));

export const GET = apiRoute(listFxRatesOp, async ({ db, query, req }) => {
  const rows = await listFxRates(db, { base: query.base, quote: query.quote, limit: query.limit + 1 });
  return toList(rows.map(toFxRate), query.limit, new URL(req.url).pathname);
});
