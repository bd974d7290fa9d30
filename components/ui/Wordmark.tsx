import type { ReactNode } from "react";
import { cn } from "./cn";

/** Tally's mark (four strokes and a cross-stroke) plus a name; pass `name` for a business's own brand. */
export function Wordmark({ name = "Tally", suffix, className }: { name?: ReactNode; suffix?: ReactNode; className?: string }) {
  return (
    <span className={cn("inline-flex min-w-0 items-center gap-2", className)}>
      <span
        aria-hidden="true"
        className="flex size-7 shrink-0 items-center justify-center rounded-lg bg-brand-600 text-white shadow-sm"
      >
        <svg viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round">
          <path d="M5 4.5v11M8.33 4.5v11M11.67 4.5v11M15 4.5v11" />
          <path d="M3.5 13.5 16.5 6.5" />
        </svg>
      </span>
      <span className="truncate text-[15px] font-semibold tracking-tight text-slate-900">{name}</span>
      {suffix && <span className="shrink-0 text-[13px] font-medium text-slate-500">{suffix}</span>}
    </span>
  );
}
