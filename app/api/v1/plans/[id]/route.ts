import { currentPrices, findPlan } from "@/db/queries/catalog";
import { apiRoute } from "@/lib/api/handler";
import { retrievePlanOp, updatePlanOp } from "@/lib/api/operations/catalog";
import { toPlan } from "@/lib/api/resources/plan";
import { notFound } from "@/lib/errors";
import { updatePlan } from "@/lib/services/catalog/update-plan";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrievePlanOp, async ({ db, params }) => {
  const plan = await findPlan(db, params.id);
  if (!plan) throw notFound("plan", "id");
  const prices = await currentPrices(db, [plan.id]);
  return toPlan(plan, prices.get(plan.id) ?? []);
});

export const PATCH = apiRoute(updatePlanOp, async ({ db, actor, now, requestId, params, body }) => {
  const plan = await updatePlan(
    { db, actor, now, requestId },
    params.id,
    {
      name: body.name,
      description: body.description,
      active: body.active,
      trialPeriodDays: body.trial_period_days,
      features: body.features,
      metadata: body.metadata,
    },
  );
  const prices = await currentPrices(db, [plan.id]);
  return toPlan(plan, prices.get(plan.id) ?? []);
});
