import type { Formatter } from "@/lib/format";
/** Plain-language terms shared by the catalog pages (server) and their confirmation dialogs (client). */

export interface CouponTermsView {
  percentOffBps: number | null;
  amountOff: number | null;
  currency: string | null;
  duration: "once" | "repeating" | "forever";
  durationInPeriods: number | null;
}

/** "25% off for 3 months", "$10.00 off once", "15% off forever". */
export function couponTermsLabel(c: CouponTermsView, fmt: Formatter): string {
  const off = c.percentOffBps !== null ? `${c.percentOffBps / 100}% off` : `${fmt.money(c.amountOff ?? 0, c.currency ?? "usd")} off`;
  switch (c.duration) {
    case "once":
      return `${off} once`;
    case "forever":
      return `${off} forever`;
    case "repeating": {
      const n = c.durationInPeriods ?? 0;
      return `${off} for ${n} month${n === 1 ? "" : "s"}`;
    }
  }
}

/** "/month", "/3 months", "/year". */
export function perInterval(unit: string, count: number): string {
  return count === 1 ? `/${unit}` : `/${count} ${unit}s`;
}

export function taxLabel(taxBehavior: "inclusive" | "exclusive", currency: string): string {
  const name = currency === "aud" || currency === "nzd" ? "GST" : "tax";
  return taxBehavior === "inclusive" ? `incl. ${name}` : `plus ${name}`;
}

export const aggregationLabels: Record<string, string> = {
  sum: "Sum",
  count: "Count",
  max: "Maximum",
  unique_count: "Unique count",
  last: "Last value",
};

/** What a meter measures: "the sum of tokens", "the number of events", "the number of distinct user values". */
export function meterMeasures(m: { aggregation: string; valueProperty: string | null; uniqueProperty: string | null }): string {
  switch (m.aggregation) {
    case "sum":
      return `the sum of ${m.valueProperty ?? "?"}`;
    case "max":
      return `the largest ${m.valueProperty ?? "?"}`;
    case "last":
      return `the latest ${m.valueProperty ?? "?"}`;
    case "unique_count":
      return `the number of distinct ${m.uniqueProperty ?? "?"} values`;
    default:
      return "the number of events";
  }
}

/** "region: au, nz · tier: 2", or "None". */
export function meterFiltersLabel(filters: Record<string, readonly string[]>): string {
  const entries = Object.entries(filters);
  return entries.length === 0 ? "None" : entries.map(([property, values]) => `${property}: ${values.join(", ")}`).join(" · ");
}
