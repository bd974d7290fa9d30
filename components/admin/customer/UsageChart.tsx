"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface UsageChartPoint {
  /** yyyy-mm-dd (UTC day). */
  day: string;
  label: string;
  value: number;
  /** The exact decimal, for the tooltip. */
  text: string;
}

const compact = new Intl.NumberFormat("en-AU", { notation: "compact", maximumFractionDigits: 1 });

/** Daily usage of one meter as bars; the numbers themselves are in the table beside it for screen readers. */
export function UsageChart({ points, unit }: { points: UsageChartPoint[]; unit: string }) {
  return (
    <div className="h-60 w-full" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" tickLine={false} axisLine={{ stroke: "#cbd5e1" }} tick={{ fontSize: 11, fill: "#475569" }} interval="preserveStartEnd" minTickGap={16} />
          <YAxis width={44} tickLine={false} axisLine={false} tick={{ fontSize: 11, fill: "#475569" }} tickFormatter={(v: number) => compact.format(v)} allowDecimals />
          <Tooltip
            cursor={{ fill: "#f1f5f9" }}
            formatter={(_value, _name, item) => [(item.payload as UsageChartPoint).text, unit]}
            labelFormatter={(label) => String(label)}
            contentStyle={{ fontSize: 12, borderRadius: 8, borderColor: "#e2e8f0" }}
          />
          <Bar dataKey="value" fill="#4f46e5" radius={[3, 3, 0, 0]} maxBarSize={28} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
