import { apiRoute } from "@/lib/api/handler";
import { createBudgetOp, listBudgetsOp } from "@/lib/api/operations/budgets";
import { toList } from "@/lib/api/pagination";
import { toBudget } from "@/lib/api/resources/budget";
import { createBudget, listBudgets } from "@/lib/services/api-costs/budgets";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createBudgetOp, async ({ db, actor, now, requestId, body }) =>
  toBudget(await createBudget({ db, actor, now, requestId }, { provider: body.provider, amount: body.amount, currency: body.currency, alertThresholds: body.alert_thresholds })),
);

export const GET = apiRoute(listBudgetsOp, async ({ db, actor, now, req }) => {
  const budgets = await listBudgets({ db, actor, now });
  return toList(budgets.map(toBudget), budgets.length, new URL(req.url).pathname);
});
