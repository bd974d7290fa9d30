import { z } from "zod";
import type { BudgetRow } from "@/db/queries/api-cost-budgets";
import { budgetObject } from "@/lib/services/api-costs/budgets";
import { timestamp } from "./common";

export const budgetResource = z
  .object({
    id: z.string(),
    object: z.literal("budget"),
    provider: z.string().nullable().meta({ description: "The provider's code; null: every provider's costs." }),
    amount: z.number().int().meta({ description: "The monthly budget in minor units of `currency`.", example: 50000 }),
    currency: z.string(),
    period: z.literal("month").meta({ description: "A UTC calendar month." }),
    alert_thresholds: z.array(z.number().int()).meta({ description: "Percent of `amount`, ascending; each fires `budget.threshold_reached` once per month.", example: [50, 80, 100] }),
    livemode: z.boolean(),
    created: timestamp,
  })
  .meta({ id: "Budget" });

export const deletedBudgetResource = z.object({ id: z.string(), object: z.literal("budget"), deleted: z.literal(true) }).meta({ id: "DeletedBudget" });

export function toBudget(row: BudgetRow): z.input<typeof budgetResource> {
  return budgetObject(row);
}
