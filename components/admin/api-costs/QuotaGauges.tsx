import Link from "next/link";
import { Card, CardBody, CardHeader } from "@/components/ui";
import { formatDecimal } from "@/lib/money";
import type { QuotaUsage } from "@/lib/services/api-costs/quotas";
import { SpendBar, usageTone } from "./SpendBar";
import type { Formatter } from "@/lib/format";

const percentTones = { danger: "text-danger-700", warning: "text-warning-800", normal: "text-slate-900" } as const;

const windowLabel = (fmt: Formatter, u: QuotaUsage) => (u.quota.period === "day" ? `today (${fmt.dayMonth(u.window.start)}, UTC)` : "this month (UTC)");

/**
 * Each provider's quota: units used in its current UTC day or month against the limit, the bar
 * coloured from 80% (warning) and 100% (over), the levels the quota warnings fire at. For the
 * current month only: a quota is about now.
 */
export function QuotaGauges({ usages, current, fmt }: { usages: readonly QuotaUsage[]; current: boolean; fmt: Formatter }) {
  return (
    <Card data-testid="quota-gauges">
      <CardHeader title="Quotas" description="Units each provider allows per UTC day or month, and how many are used; warnings go out at 80% and 100%." />
      <CardBody>
        {!current ? (
          <p className="text-sm text-slate-600">Quotas are shown for the current month.</p>
        ) : usages.length === 0 ? (
          <p className="text-sm text-slate-600">
            No provider has a quota. Set one on a provider&apos;s page under{" "}
            <Link href="/admin/api-costs/providers" className="font-medium text-brand-700 hover:underline">
              Providers
            </Link>
            .
          </p>
        ) : (
          <ul className="space-y-4">
            {usages.map((u) => (
              <li key={u.provider.id} data-testid="quota-gauge" className="space-y-1.5">
                <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5">
                  <Link href={`/admin/api-costs/providers/${u.provider.id}`} className="min-w-0 font-medium break-words text-brand-700 hover:underline">
                    {u.provider.name}
                  </Link>
                  <span className={`text-sm font-semibold tabular-nums ${percentTones[usageTone(u.percent)]}`}>{u.percent}%</span>
                </div>
                <SpendBar percent={u.percent} label={`${u.provider.name}: ${u.percent}% of the quota used`} />
                <p className="text-[13px] text-slate-600">
                  {fmt.usage(formatDecimal(u.used))} of {fmt.usage(String(u.quota.limit))} units {windowLabel(fmt, u)}
                </p>
              </li>
            ))}
          </ul>
        )}
      </CardBody>
    </Card>
  );
}
