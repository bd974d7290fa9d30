import { cn } from "@/components/ui";
import type { Formatter } from "@/lib/format";

export interface UsageLimit {
  feature: string;
  used: number;
  limit: number;
  /** A hard limit refuses use beyond it; a soft one bills or warns. */
  hard: boolean;
}


/**
 * Limits with a progress bar each. The bar is an SVG whose fill width is an attribute: the page's CSP
 * refuses server-rendered style attributes.
 */
export function UsageLimits({ limits, fmt }: { limits: readonly UsageLimit[]; fmt: Formatter }) {
  if (limits.length === 0) return <p className="text-sm text-slate-600">Your plan has no usage limits.</p>;
  return (
    <ul className="space-y-4" aria-label="Usage limits">
      {limits.map((l) => {
        const share = l.limit > 0 ? Math.min(l.used / l.limit, 1) : 1;
        const percent = l.limit > 0 ? Math.round((l.used / l.limit) * 100) : 100;
        const tone = percent >= 100 ? "fill-danger-600" : percent >= 80 ? "fill-warning-500" : "fill-brand-600";
        return (
          <li key={l.feature}>
            <div className="flex flex-wrap items-baseline justify-between gap-x-4 text-sm">
              <span className="font-medium text-slate-900">{l.feature}</span>
              <span className="tabular-nums text-slate-600">
                {fmt.count(l.used)} of {fmt.count(l.limit)} · {l.hard ? "hard limit" : "soft limit"}
              </span>
            </div>
            <svg className="mt-1.5 h-2 w-full overflow-hidden rounded-full" role="progressbar" aria-label={l.feature} aria-valuemin={0} aria-valuemax={l.limit} aria-valuenow={l.used} aria-valuetext={`${percent}% used`}>
              <rect width="100%" height="100%" className="fill-slate-200" />
              <rect width={`${share * 100}%`} height="100%" className={cn(tone)} />
            </svg>
            {percent >= 100 ? <p className="mt-1 text-[13px] text-danger-700">{l.hard ? "Limit reached: further use is refused until the next period." : "Limit reached: use beyond it is still allowed."}</p> : null}
          </li>
        );
      })}
    </ul>
  );
}
