import { apiRoute } from "@/lib/api/handler";
import { deleteBudgetOp, retrieveBudgetOp, updateBudgetOp } from "@/lib/api/operations/budgets";
import { toBudget } from "@/lib/api/resources/budget";
import { deleteBudget, retrieveBudget, updateBudget } from "@/lib/services/api-costs/budgets";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrieveBudgetOp, async ({ db, actor, now, params }) => toBudget(await retrieveBudget({ db, actor, now }, params.id)));

export const PATCH = apiRoute(updateBudgetOp, async ({ db, actor, now, requestId, params, body }) =>
  toBudget(await updateBudget({ db, actor, now, requestId }, params.id, { amount: body.amount, alertThresholds: body.alert_thresholds })),
);

export const DELETE = apiRoute(deleteBudgetOp, async ({ db, actor, now, requestId, params }) => {
  const budget = await deleteBudget({ db, actor, now, requestId }, params.id);
  return { id: budget.id, object: "budget" as const, deleted: true as const };
});
