import type { ReactNode } from "react";

/** A form folded behind its title until opened ("Edit a target", "Record a rate"). */
export function FormDisclosure({ summary, className = "", children }: { summary: string; className?: string; children: ReactNode }) {
  return (
    <details className={`rounded-md border border-slate-300 bg-white open:bg-slate-50 ${className}`}>
      <summary className="cursor-pointer list-none px-3 py-1.5 text-sm font-medium text-slate-800">{summary}</summary>
      {children}
    </details>
  );
}
