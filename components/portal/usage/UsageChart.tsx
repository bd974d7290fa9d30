"use client";

import { formatterFor, type Reader } from "@/lib/format";
import { useEffect, useRef, useState } from "react";
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";

export interface UsageChartDay {
  /** "5 Dec": the UTC day. */
  label: string;
  /** Null for days still to come (drawn as an empty slot). */
  value: number | null;
}

const HEIGHT = 192;

/**
 * Usage per day as bars. Drawn in the browser at the width measured there: the page's CSP refuses
 * style attributes in server-rendered HTML, and the chart needs its size in pixels anyway.
 */
export function UsageChart({ days, unit, summary, reader }: { days: UsageChartDay[]; unit: string; summary: string; reader: Reader }) {
  const fmt = formatterFor(reader);
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver((entries) => setWidth(Math.floor(entries[0]?.contentRect.width ?? 0)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const narrow = width > 0 && width < 480;
  return (
    <div ref={box} role="img" aria-label={summary} className="h-48 w-full" data-testid="usage-chart">
      {width > 0 ? (
        <BarChart width={width} height={HEIGHT} data={days} margin={{ top: 8, right: 4, bottom: 0, left: 0 }} barCategoryGap={narrow ? 1 : "20%"}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" tickLine={false} axisLine={{ stroke: "#cbd5e1" }} tick={{ fontSize: 12, fill: "#475569" }} interval="preserveStartEnd" minTickGap={narrow ? 24 : 16} />
          <YAxis tickLine={false} axisLine={false} tick={{ fontSize: 12, fill: "#475569" }} width={44} tickFormatter={fmt.compact} allowDecimals={false} />
          <Tooltip
            cursor={{ fill: "#f1f5f9" }}
            formatter={(value) => [typeof value === "number" ? fmt.count(value) : "—", unit]}
            contentStyle={{ borderRadius: 8, borderColor: "#e2e8f0", fontSize: 13 }}
          />
          <Bar dataKey="value" fill="#4f46e5" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        </BarChart>
      ) : null}
    </div>
  );
}
