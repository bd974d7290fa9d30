"use client";

import { formatterFor, type Reader } from "@/lib/format";
import { useElementWidth } from "@/components/admin/useElementWidth";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { currencyExponent } from "@/lib/money";
import { SERIES_COLOURS } from "./colours";

export interface CostTrendSeries {
  code: string;
  name: string;
}

export interface CostTrendPoint {
  /** yyyy-mm-dd (UTC day). */
  day: string;
  label: string;
  /** Minor units of the reporting currency per provider code, each rounded once for its day. */
  costs: Record<string, number>;
}

const HEIGHT = 260;

/**
 * Daily API cost per provider as stacked bars. Drawn in the browser only, at the measured width
 * (the Content-Security-Policy refuses the style attributes ResponsiveContainer renders on the
 * server); the page lists the same figures in a table for screen readers.
 */
export function CostTrendChart({ points, series, currency, reader }: { points: CostTrendPoint[]; series: CostTrendSeries[]; currency: string; reader: Reader }) {
  const fmt = formatterFor(reader);
  const { ref: box, width } = useElementWidth<HTMLDivElement>();
  const scale = 10 ** currencyExponent(currency);
  const data = points.map((p) => ({
    label: p.label,
    ...Object.fromEntries(series.map((s) => [s.code, (p.costs[s.code] ?? 0) / scale])),
  }));
  return (
    <div ref={box} className="h-[260px] w-full" aria-hidden="true" data-testid="cost-trend-chart">
      {width > 0 ? (
        <BarChart width={width} height={HEIGHT} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" tickLine={false} axisLine={{ stroke: "#cbd5e1" }} tick={{ fontSize: 11, fill: "#475569" }} interval="preserveStartEnd" minTickGap={16} />
          <YAxis width={44} tickLine={false} axisLine={false} tick={{ fontSize: 11, fill: "#475569" }} tickFormatter={fmt.compact} />
          <Tooltip
            cursor={{ fill: "#f1f5f9" }}
            formatter={(value, name) => [fmt.money(Math.round(Number(value) * scale), currency), series.find((s) => s.code === name)?.name ?? String(name)]}
            contentStyle={{
              fontSize: 12,
              borderRadius: 8,
              borderColor: "#e2e8f0",
            }}
          />
          <Legend formatter={(code) => series.find((s) => s.code === code)?.name ?? String(code)} wrapperStyle={{ fontSize: 12 }} />
          {series.map((s, i) => (
            <Bar key={s.code} dataKey={s.code} stackId="cost" fill={SERIES_COLOURS[i % SERIES_COLOURS.length]} maxBarSize={28} isAnimationActive={false} />
          ))}
        </BarChart>
      ) : null}
    </div>
  );
}
