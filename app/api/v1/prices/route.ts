import { and, eq } from "drizzle-orm";
import { prices } from "@/db/schema";
import { keysetPage } from "@/db/queries/paginate";
import { apiRoute } from "@/lib/api/handler";
import { createPriceOp, listPricesOp, toPriceTermsInput } from "@/lib/api/operations/catalog";
import { toList } from "@/lib/api/pagination";
import { toPrice } from "@/lib/api/resources/plan";
import { createPrice } from "@/lib/services/catalog/create-price";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createPriceOp, async ({ db, actor, now, requestId, body }) => {
  const { plan, ...terms } = body;
  const { price } = await createPrice({ db, actor, now, requestId }, { planId: plan, ...toPriceTermsInput(terms) });
  return toPrice(price);
});

export const GET = apiRoute(listPricesOp, async ({ db, query, req }) => {
  const where = and(
    query.plan ? eq(prices.planId, query.plan) : undefined,
    query.currency ? eq(prices.currency, query.currency) : undefined,
    query.active ? eq(prices.active, query.active === "true") : undefined,
  );
  const { rows, direction } = await keysetPage(db, prices, where, { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  return toList(rows.map(toPrice), query.limit, new URL(req.url).pathname, direction);
});
