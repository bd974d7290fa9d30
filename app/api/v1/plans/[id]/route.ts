import { currentPrices, findPlan } from "@/db/queries/catalog";
import { apiRoute } from "@/lib/api/handler";
import { retrievePlanOp } from "@/lib/api/operations/catalog";
import { toPlan } from "@/lib/api/resources/plan";
import { notFound } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrievePlanOp, async ({ db, params }) => {
  const plan = await findPlan(db, params.id);
  if (!plan) throw notFound("plan", "id");
  const prices = await currentPrices(db, [plan.id]);
  return toPlan(plan, prices.get(plan.id) ?? []);
});
