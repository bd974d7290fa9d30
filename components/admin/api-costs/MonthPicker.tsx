import { Button, Select } from "@/components/ui";
import type { CostMonth } from "@/lib/api-costs/months";
import type { Formatter } from "@/lib/format";

/** "December 2026" (UTC months). */
export function monthLabel(month: CostMonth, fmt: Formatter): string {
  return fmt.month(month.from);
}

/** A GET form choosing the report's month, so the view lives in the address bar. */
export function MonthPicker({ months, chosen, action = "/admin/api-costs", fmt }: { months: CostMonth[]; chosen: string; action?: string; fmt: Formatter }) {
  return (
    <form method="get" action={action} className="flex flex-wrap items-end gap-2" aria-label="Month">
      <Select
        label="Month"
        name="month"
        defaultValue={chosen}
        options={months.map((m, i) => ({
          value: m.key,
          label: i === 0 ? `${monthLabel(m, fmt)} (this month)` : monthLabel(m, fmt),
        }))}
        wrapperClassName="w-60"
      />
      <Button type="submit" variant="secondary">
        Show month
      </Button>
    </form>
  );
}
