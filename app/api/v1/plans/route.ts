import { and, eq } from "drizzle-orm";
import { plans } from "@/db/schema";
import { currentPrices } from "@/db/queries/catalog";
import { keysetPage } from "@/db/queries/paginate";
import { apiRoute } from "@/lib/api/handler";
import { createPlanOp, listPlansOp, toPriceTermsInput } from "@/lib/api/operations/catalog";
import { toList } from "@/lib/api/pagination";
import { toPlan } from "@/lib/api/resources/plan";
import { createPlan } from "@/lib/services/catalog/create-plan";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createPlanOp, async ({ db, actor, now, requestId, body }) => {
  const { plan, prices } = await createPlan(
    { db, actor, now, requestId },
    {
      productId: body.product,
      code: body.code,
      name: body.name,
      description: body.description,
      interval: body.interval,
      intervalCount: body.interval_count,
      trialPeriodDays: body.trial_period_days,
      features: body.features,
      active: body.active,
      metadata: body.metadata,
      prices: body.prices?.map(toPriceTermsInput),
    },
  );
  return toPlan(plan, prices);
});

export const GET = apiRoute(listPlansOp, async ({ db, query, req }) => {
  const where = and(query.active ? eq(plans.active, query.active === "true") : undefined, query.code ? eq(plans.code, query.code) : undefined);
  const { rows, direction } = await keysetPage(db, plans, where, { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  const prices = await currentPrices(db, rows.map((r) => r.id));
  return toList(rows.map((r) => toPlan(r, prices.get(r.id) ?? [])), query.limit, new URL(req.url).pathname, direction);
});
