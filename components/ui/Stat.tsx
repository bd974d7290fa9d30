import type { ReactNode } from "react";
import { cn } from "./cn";

export type StatProps = {
  label: ReactNode;
  value: ReactNode;
  /** Secondary line: comparison, period, "3 invoices". */
  hint?: ReactNode;
  /** Colours the hint, e.g. for a positive/negative trend. */
  hintTone?: "neutral" | "success" | "danger";
  className?: string;
};

const hintTones = { neutral: "text-slate-600", success: "text-success-700", danger: "text-danger-700" } as const;

export function Stat({ label, value, hint, hintTone = "neutral", className }: StatProps) {
  return (
    <div className={cn("rounded-xl border border-slate-200 bg-white px-5 py-4 shadow-card", className)}>
      <dl>
        <dt className="text-[13px] font-medium text-slate-600">{label}</dt>
        <dd className="mt-1.5 text-2xl font-semibold tracking-tight text-slate-900 tabular-nums">{value}</dd>
        {hint && <dd className={cn("mt-1 text-[13px]", hintTones[hintTone])}>{hint}</dd>}
      </dl>
    </div>
  );
}

/** Responsive grid for a row of Stats: 1 column on phones, 2 on tablets, up to `columns` on desktop. */
export function StatGrid({ columns = 4, className, children }: { columns?: 2 | 3 | 4; className?: string; children: ReactNode }) {
  const lg = { 2: "lg:grid-cols-2", 3: "lg:grid-cols-3", 4: "lg:grid-cols-4" }[columns];
  return <div className={cn("grid grid-cols-1 gap-4 sm:grid-cols-2", lg, className)}>{children}</div>;
}
