import Link from "next/link";
import { cn } from "@/components/ui";

/** Section links under the customer header: one per tab, in the URL, scrolling sideways on phones. */
export function CustomerTabs({ tabs, current, href }: { tabs: readonly { id: string; label: string; count?: number }[]; current: string; href: (id: string) => string }) {
  return (
    <nav aria-label="Customer sections" className="-mx-4 border-b border-slate-200 px-4 sm:mx-0 sm:px-0">
      <ul className="-mb-px flex gap-1 overflow-x-auto">
        {tabs.map((tab) => {
          const active = tab.id === current;
          return (
            <li key={tab.id} className="shrink-0">
              <Link
                href={href(tab.id)}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "inline-flex h-10 items-center gap-1.5 border-b-2 px-3 text-[13px] font-medium whitespace-nowrap transition-colors focus-visible:outline-offset-[-2px]",
                  active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
                )}
              >
                {tab.label}
                {tab.count ? <span className={cn("rounded-full px-1.5 text-[11px] tabular-nums", active ? "bg-brand-50 text-brand-700" : "bg-slate-100 text-slate-600")}>{tab.count}</span> : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
