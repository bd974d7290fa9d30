import Link from "next/link";
import { Alert } from "@/components/ui";
import type { BudgetReached } from "@/lib/services/api-costs/budgets";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const BUDGETS_HREF = "/admin/api-costs/budgets";

const scope = (provider: string | null) => (provider === null ? "All providers" : provider);

/**
 * The console overview's notice that API cost budgets reached an alert threshold this UTC month
 * (the highest threshold of each), linking to the budgets page. Nothing when none did.
 */
export async function BudgetBanner({ reached }: { reached: readonly BudgetReached[] }) {
  const fmt = await consoleFormatter();
  if (reached.length === 0) return null;
  const over = reached.some((r) => r.threshold >= 100);
  const shown = reached.slice(0, 3);
  const rest = reached.length - shown.length;
  return (
    <Alert
      tone={over ? "danger" : "warning"}
      title={over ? "API costs are over budget this month" : "API costs are nearing their budget this month"}
      action={
        <Link href={BUDGETS_HREF} className="text-sm font-medium whitespace-nowrap underline">
          Review budgets
        </Link>
      }
    >
      {shown.map((r) => `${scope(r.budget.providerCode)}: ${r.threshold}% of ${fmt.money(r.budget.amount, r.budget.currency)} (${fmt.money(r.spent, r.budget.currency)} when it fired)`).join(" · ")}
      {rest > 0 ? ` · and ${rest} more` : ""}
    </Alert>
  );
}
