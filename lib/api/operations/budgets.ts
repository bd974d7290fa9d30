import { z } from "zod";
import { idField } from "../fields";
import { defineOperation } from "../operation";
import { listOf } from "../pagination";
import { budgetResource, deletedBudgetResource } from "../resources/budget";

const TAGS = ["API costs"];

const amount = z.number().int().positive().max(Number.MAX_SAFE_INTEGER).meta({ description: "The monthly budget in minor units of `currency` (50000 = $500.00).", example: 50000 });
const alertThresholds = z
  .array(z.number())
  .meta({ description: "Percent of `amount`: whole numbers from 1 to 1000, unique, ascending. Default [50, 80, 100].", example: [50, 80, 100] });

export const createBudgetOp = defineOperation({
  method: "POST",
  path: "/budgets",
  operationId: "createBudget",
  summary: "Create a monthly API cost budget",
  description:
    "A budget for one provider's costs (`provider`, its code) or every provider's (`provider` null), in `currency`: the month's costs are converted at each day's exchange rate and rounded once. One budget per provider (or all) and currency: a second is a 409. Each of `alert_thresholds` fires `budget.threshold_reached` (and an email to the billing admins) once per UTC month.",
  tags: TAGS,
  body: z.object({
    provider: z.string().min(1).max(100).nullable().meta({ example: "openai" }),
    amount,
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, { message: "must be a three-letter ISO 4217 code" })
      .meta({ example: "aud" }),
    period: z.literal("month").optional(),
    alert_thresholds: alertThresholds.optional(),
  }),
  response: budgetResource,
});

export const listBudgetsOp = defineOperation({
  method: "GET",
  path: "/budgets",
  operationId: "listBudgets",
  summary: "List API cost budgets (the all-providers budgets first, then by provider)",
  tags: TAGS,
  response: listOf(budgetResource),
});

const budgetParams = z.object({ id: idField("bud") }).strict();

export const retrieveBudgetOp = defineOperation({
  method: "GET",
  path: "/budgets/{id}",
  operationId: "retrieveBudget",
  summary: "Retrieve an API cost budget",
  tags: TAGS,
  params: budgetParams,
  response: budgetResource,
});

export const updateBudgetOp = defineOperation({
  method: "PATCH",
  path: "/budgets/{id}",
  operationId: "updateBudget",
  summary: "Change a budget's amount or alert thresholds",
  description: "The provider and currency are fixed: delete the budget and create another to change them. Thresholds already fired this month do not fire again.",
  tags: TAGS,
  params: budgetParams,
  body: z.object({ amount: amount.optional(), alert_thresholds: alertThresholds.optional() }),
  response: budgetResource,
});

export const deleteBudgetOp = defineOperation({
  method: "DELETE",
  path: "/budgets/{id}",
  operationId: "deleteBudget",
  summary: "Delete an API cost budget and its alert history",
  tags: TAGS,
  params: budgetParams,
  response: deletedBudgetResource,
});

export const budgetOperations = [createBudgetOp, listBudgetsOp, retrieveBudgetOp, updateBudgetOp, deleteBudgetOp];
