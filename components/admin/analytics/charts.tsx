"use client";

import { formatterFor, type Reader } from "@/lib/format";
import { Bar, BarChart, CartesianGrid, Cell, ComposedChart, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { useElementWidth } from "@/components/admin/useElementWidth";
import { currencyExponent } from "@/lib/money";
import { MOVEMENT_SERIES } from "./series";

const HEIGHT = 280;
const axis = { tickLine: false, tick: { fontSize: 11, fill: "#475569" } } as const;
const tooltipStyle = { fontSize: 12, borderRadius: 8, borderColor: "#e2e8f0" };

export interface MrrChartPoint {
  label: string;
  mrr: number;
  new: number;
  expansion: number;
  reactivation: number;
  contraction: number;
  churn: number;
}


function Frame({ testId, width, children }: { testId: string; width: number; children: React.ReactNode }) {
  return (
    <div className="h-[280px] w-full" aria-hidden="true" data-testid={testId}>
      {width > 0 ? children : null}
    </div>
  );
}

/** MRR movements per bucket as stacked bars, and the MRR at each bucket's end as a line (minor units in, major units drawn). */
export function MrrChart({ points, currency, xLabel, reader }: { points: MrrChartPoint[]; currency: string; xLabel: string; reader: Reader }) {
  const fmt = formatterFor(reader);
  const { ref, width } = useElementWidth<HTMLDivElement>();
  const scale = 10 ** currencyExponent(currency);
  const data = points.map((p) => ({ label: p.label, mrr: p.mrr / scale, ...Object.fromEntries(MOVEMENT_SERIES.map((s) => [s.key, p[s.key] / scale])) }));
  const names: Record<string, string> = { mrr: "MRR", ...Object.fromEntries(MOVEMENT_SERIES.map((s) => [s.key, s.name])) };
  return (
    <div ref={ref}>
      <Frame testId="mrr-chart" width={width}>
        <ComposedChart width={width} height={HEIGHT} data={data} stackOffset="sign" margin={{ top: 8, right: 8, bottom: 16, left: 8 }}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" {...axis} axisLine={{ stroke: "#cbd5e1" }} interval="preserveStartEnd" minTickGap={16} label={{ value: xLabel, position: "insideBottom", offset: -10, fontSize: 11, fill: "#475569" }} />
          <YAxis width={56} {...axis} axisLine={false} tickFormatter={fmt.compact} label={{ value: currency.toUpperCase(), angle: -90, position: "insideLeft", fontSize: 11, fill: "#475569" }} />
          <ReferenceLine y={0} stroke="#94a3b8" />
          <Tooltip cursor={{ fill: "#f1f5f9" }} contentStyle={tooltipStyle} formatter={(value, name) => [fmt.money(Math.round(Number(value) * scale), currency), names[String(name)] ?? String(name)]} />
          <Legend verticalAlign="top" itemSorter={null} formatter={(key) => names[String(key)] ?? String(key)} wrapperStyle={{ fontSize: 12 }} />
          {MOVEMENT_SERIES.map((s) => (
            <Bar key={s.key} dataKey={s.key} stackId="moves" fill={s.colour} maxBarSize={28} isAnimationActive={false} />
          ))}
          <Line type="linear" dataKey="mrr" stroke="#0f172a" strokeWidth={2} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </Frame>
    </div>
  );
}

export interface RatePoint {
  label: string;
  /** Percentages (0.05 → 5); null: no data that month. */
  [series: string]: number | string | null;
}

/** Monthly rates as lines, in per cent. */
export function RateTrendChart({ points, series }: { points: RatePoint[]; series: { key: string; name: string; colour: string }[] }) {
  const { ref, width } = useElementWidth<HTMLDivElement>();
  const names = Object.fromEntries(series.map((s) => [s.key, s.name]));
  return (
    <div ref={ref}>
      <Frame testId="trend-chart" width={width}>
        <LineChart width={width} height={HEIGHT} data={points} margin={{ top: 8, right: 8, bottom: 16, left: 8 }}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" {...axis} axisLine={{ stroke: "#cbd5e1" }} interval="preserveStartEnd" minTickGap={16} label={{ value: "Month (UTC)", position: "insideBottom", offset: -10, fontSize: 11, fill: "#475569" }} />
          <YAxis width={56} {...axis} axisLine={false} tickFormatter={(v: number) => `${v}%`} label={{ value: "Per cent", angle: -90, position: "insideLeft", fontSize: 11, fill: "#475569" }} />
          <Tooltip contentStyle={tooltipStyle} formatter={(value, name) => [value === null ? "No data" : `${Number(value).toFixed(2)}%`, names[String(name)] ?? String(name)]} />
          <Legend verticalAlign="top" itemSorter={null} formatter={(key) => names[String(key)] ?? String(key)} wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) => (
            <Line key={s.key} type="linear" dataKey={s.key} stroke={s.colour} strokeWidth={2} dot={{ r: 3 }} connectNulls={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </Frame>
    </div>
  );
}

/** The revenue waterfall's figures as bars (minor units in). */
export function WaterfallChart({ bars, currency, reader }: { bars: { label: string; short: string; amount: number }[]; currency: string; reader: Reader }) {
  const fmt = formatterFor(reader);
  const { ref, width } = useElementWidth<HTMLDivElement>();
  const scale = 10 ** currencyExponent(currency);
  // Narrow screens name the steps briefly; the tooltip and the table give the full names.
  const narrow = width < 560;
  const data = bars.map((b) => ({ label: narrow ? b.short : b.label, name: b.label, amount: b.amount / scale }));
  return (
    <div ref={ref}>
      <Frame testId="waterfall-chart" width={width}>
        <BarChart width={width} height={HEIGHT} data={data} margin={{ top: 8, right: 8, bottom: 16, left: 8 }}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" {...axis} axisLine={{ stroke: "#cbd5e1" }} interval={0} label={{ value: "Waterfall step", position: "insideBottom", offset: -10, fontSize: 11, fill: "#475569" }} />
          <YAxis width={56} {...axis} axisLine={false} tickFormatter={fmt.compact} label={{ value: currency.toUpperCase(), angle: -90, position: "insideLeft", fontSize: 11, fill: "#475569" }} />
          <ReferenceLine y={0} stroke="#94a3b8" />
          <Tooltip cursor={{ fill: "#f1f5f9" }} contentStyle={tooltipStyle} labelFormatter={(_label, payload) => String(payload?.[0]?.payload?.name ?? _label)} formatter={(value) => [fmt.money(Math.round(Number(value) * scale), currency), "Amount"]} />
          <Bar dataKey="amount" fill="#4f46e5" maxBarSize={48} isAnimationActive={false} />
        </BarChart>
      </Frame>
    </div>
  );
}

/** Counts per outcome as bars, each in its own colour. */
export function CountBarChart({ bars, testId, xLabel, reader }: { bars: { label: string; short: string; count: number; colour: string }[]; testId: string; xLabel: string; reader: Reader }) {
  const fmt = formatterFor(reader);
  const { ref, width } = useElementWidth<HTMLDivElement>();
  const narrow = width < 560;
  const data = bars.map((b) => ({ label: narrow ? b.short : b.label, name: b.label, count: b.count, colour: b.colour }));
  return (
    <div ref={ref}>
      <Frame testId={testId} width={width}>
        <BarChart width={width} height={HEIGHT} data={data} margin={{ top: 8, right: 8, bottom: 16, left: 8 }}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" {...axis} axisLine={{ stroke: "#cbd5e1" }} interval={0} label={{ value: xLabel, position: "insideBottom", offset: -10, fontSize: 11, fill: "#475569" }} />
          <YAxis width={56} {...axis} axisLine={false} allowDecimals={false} tickFormatter={fmt.compact} label={{ value: "Count", angle: -90, position: "insideLeft", fontSize: 11, fill: "#475569" }} />
          <Tooltip cursor={{ fill: "#f1f5f9" }} contentStyle={tooltipStyle} labelFormatter={(_label, payload) => String(payload?.[0]?.payload?.name ?? _label)} formatter={(value) => [String(value), "Count"]} />
          <Bar dataKey="count" maxBarSize={48} isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.name} fill={d.colour} />
            ))}
          </Bar>
        </BarChart>
      </Frame>
    </div>
  );
}
