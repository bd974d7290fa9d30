"use client";

import { formatterFor, type Reader } from "@/lib/format";
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { useElementWidth } from "@/components/admin/useElementWidth";

export interface UsageChartPoint {
  /** yyyy-mm-dd (UTC day). */
  day: string;
  label: string;
  value: number;
  /** The exact decimal, for the tooltip. */
  text: string;
}


const HEIGHT = 240;

/**
 * Daily usage of one meter as bars; the numbers themselves are in a table beside it for screen
 * readers. Drawn in the browser only, at the measured width: the page's Content-Security-Policy
 * refuses style attributes in server-rendered HTML (recharts' ResponsiveContainer relies on them),
 * while styles set from script are allowed.
 */
export function UsageChart({ points, unit, whole, reader }: { points: UsageChartPoint[]; unit: string; /** Every value is a whole number: no fractional ticks. */ whole: boolean; reader: Reader }) {
  const fmt = formatterFor(reader);
  const { ref: box, width } = useElementWidth<HTMLDivElement>();
  return (
    <div ref={box} className="h-60 w-full" aria-hidden="true" data-testid="usage-chart">
      {width > 0 ? (
        <BarChart width={width} height={HEIGHT} data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" tickLine={false} axisLine={{ stroke: "#cbd5e1" }} tick={{ fontSize: 11, fill: "#475569" }} interval="preserveStartEnd" minTickGap={16} />
          <YAxis width={44} tickLine={false} axisLine={false} tick={{ fontSize: 11, fill: "#475569" }} tickFormatter={fmt.compact} allowDecimals={!whole} />
          <Tooltip
            cursor={{ fill: "#f1f5f9" }}
            formatter={(_value, _name, item) => [(item.payload as UsageChartPoint).text, unit]}
            labelFormatter={(label) => String(label)}
            contentStyle={{ fontSize: 12, borderRadius: 8, borderColor: "#e2e8f0" }}
          />
          <Bar dataKey="value" fill="#4f46e5" radius={[3, 3, 0, 0]} maxBarSize={28} isAnimationActive={false} />
        </BarChart>
      ) : null}
    </div>
  );
}
