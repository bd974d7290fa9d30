"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { AppError } from "@/lib/errors";
import { createBudget, deleteBudget, retrieveBudget, updateBudget } from "@/lib/services/api-costs/budgets";
import { currencyCode, minorUnits } from "../../catalog/form-values";
import { consoleFormatter } from "@/lib/auth/console-formatter";

/** "50, 80, 100" → [50, 80, 100]; the service checks the rest (whole, 1..1000, unique, ascending). */
function thresholds(value: string | undefined): number[] | undefined {
  const text = (value ?? "").trim();
  if (!text) return undefined;
  const parts = text.split(/[\s,;%]+/).filter(Boolean);
  const numbers = parts.map(Number);
  if (numbers.some((n) => !Number.isFinite(n))) throw new AppError("validation_failed", { param: "alert_thresholds", userMessage: "Enter percentages separated by commas, e.g. 50, 80, 100." });
  return numbers;
}

const PAGE = "/admin/api-costs/budgets";
const scope = (provider: string | null) => (provider === null ? "all providers" : provider);

export const createBudgetAction = validatedAction(
  "api_costs.write",
  z.object({ provider: z.string().optional(), amount: z.string().optional(), currency: z.string().optional(), alert_thresholds: z.string().optional() }),
  async (input, _user, ctx) => {
    const fmt = await consoleFormatter();
    const currency = currencyCode(input.currency);
    const budget = await createBudget(ctx, { provider: input.provider ? input.provider : null, amount: minorUnits(input.amount, currency, "amount"), currency, alertThresholds: thresholds(input.alert_thresholds) });
    revalidatePath(PAGE);
    return { ok: true, message: `Budget for ${scope(budget.providerCode)} created: ${fmt.money(budget.amount, budget.currency)} a month.` };
  },
);

export const updateBudgetAction = validatedAction(
  "api_costs.write",
  z.object({ budgetId: z.string().min(1), amount: z.string().optional(), alert_thresholds: z.string().optional() }),
  async (input, _user, ctx) => {
    const fmt = await consoleFormatter();
    const before = await retrieveBudget(ctx, input.budgetId);
    const budget = await updateBudget(ctx, input.budgetId, { amount: minorUnits(input.amount, before.currency, "amount"), alertThresholds: thresholds(input.alert_thresholds) });
    revalidatePath(PAGE);
    revalidatePath("/admin");
    return { ok: true, message: `Budget for ${scope(budget.providerCode)} saved: ${fmt.money(budget.amount, budget.currency)} a month, alerts at ${budget.alertThresholds.join(", ")}%.` };
  },
);

export const deleteBudgetAction = validatedAction("api_costs.write", z.object({ budgetId: z.string().min(1) }), async (input, _user, ctx) => {
  const budget = await deleteBudget(ctx, input.budgetId);
  revalidatePath(PAGE);
  revalidatePath("/admin");
  return { ok: true, message: `Budget for ${scope(budget.providerCode)} deleted.` };
});
