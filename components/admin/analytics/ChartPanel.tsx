"use client";

import { useState, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";

/** A chart with its figures as a table one click away ("Chart" / "Table"), and the CSV of the same figures. */
export function ChartPanel({ name, chart, table, csvHref }: { name: string; chart: ReactNode; table: ReactNode; csvHref: string }) {
  const [view, setView] = useState<"chart" | "table">("chart");
  const tab = (v: "chart" | "table", label: string) => (
    <button
      type="button"
      aria-pressed={view === v}
      onClick={() => setView(v)}
      className={cn("h-7 px-2.5 text-[13px] font-medium first:rounded-l-md last:rounded-r-md", view === v ? "bg-slate-800 text-white" : "bg-white text-slate-700 hover:bg-slate-50")}
    >
      {label}
    </button>
  );
  return (
    <div className="space-y-3" data-testid={`panel-${name}`}>
      <div className="flex flex-wrap items-center justify-end gap-2">
        <div role="group" aria-label={`${name} view`} className="inline-flex rounded-md border border-slate-300 shadow-xs">
          {tab("chart", "Chart")}
          {tab("table", "Table")}
        </div>
        <a href={csvHref} download className="inline-flex h-7 items-center rounded-md border border-slate-300 bg-white px-2.5 text-[13px] font-medium text-slate-700 shadow-xs hover:bg-slate-50">
          Download CSV
        </a>
      </div>
      {view === "chart" ? chart : <div className="overflow-x-auto">{table}</div>}
    </div>
  );
}
