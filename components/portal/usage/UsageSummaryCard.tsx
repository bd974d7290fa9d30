import Link from "next/link";
import type { CustomerMeteredItem } from "@/lib/services/usage/portal-usage";
import { Card, CardHeader } from "@/components/ui";
import { usageValue } from "./MeteredUsage";
import type { Formatter } from "@/lib/format";

/** The overview's usage card: per metered item, the usage so far and what it costs so far. */
export function UsageSummaryCard({ items, timeZone, fmt }: { items: readonly CustomerMeteredItem[]; timeZone: string; fmt: Formatter }) {
  return (
    <Card data-testid="usage-summary">
      <CardHeader
        title="Usage this period"
        description="Billed at the end of the period, with your next invoice."
        actions={
          <Link className="text-sm font-medium text-brand-700 hover:underline" href="/usage">
            View usage
          </Link>
        }
      />
      <div className="px-5 py-1">
        <ul className="divide-y divide-slate-200">
          {items.map((item) => (
            <li key={`${item.subscriptionId}:${item.priceId}`} className="flex flex-wrap items-baseline justify-between gap-x-6 gap-y-1 py-3 text-sm">
              <div className="min-w-0">
                <p className="font-medium text-slate-900">
                  {usageValue(item.value, fmt)} {item.meterName}
                </p>
                <p className="text-[13px] text-slate-600">
                  {fmt.period(item.from, item.to, timeZone)}, so far
                </p>
              </div>
              <p className="tabular-nums text-slate-900">
                <span className="font-semibold">{fmt.money(item.amount, item.currency)}</span>
                <span className="text-slate-600"> so far</span>
              </p>
            </li>
          ))}
        </ul>
      </div>
    </Card>
  );
}
