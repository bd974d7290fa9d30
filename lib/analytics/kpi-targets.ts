import { z } from "zod";
import { rate } from "./metrics";

/**
 * KPI targets (decision 034): a target is a rate (a decimal string, "0.99" = 99 %) that a metric
 * should be at least or at most. A metric's status is met, missed, or no data (its rate is null:
 * nothing in its denominator). Comparisons are exact on the decimal strings.
 */
export const kpiMetrics = ["payment_success_rate", "customer_churn_rate", "recovery_rate", "recognition_accuracy", "nrr", "grr", "gross_mrr_churn_rate", "net_mrr_churn_rate", "trial_conversion_rate"] as const;
export type KpiMetric = (typeof kpiMetrics)[number];

export const kpiLabels: Record<KpiMetric, string> = {
  payment_success_rate: "Payment success rate",
  customer_churn_rate: "Customer churn (monthly)",
  recovery_rate: "Failed-payment recovery",
  recognition_accuracy: "Revenue recognition accuracy",
  nrr: "Net revenue retention",
  grr: "Gross revenue retention",
  gross_mrr_churn_rate: "Gross MRR churn",
  net_mrr_churn_rate: "Net MRR churn",
  trial_conversion_rate: "Trial conversion",
};

export type KpiDirection = "at_least" | "at_most";
export interface KpiTarget {
  metric: KpiMetric;
  direction: KpiDirection;
  /** A rate as a decimal string, 0 to 10 ("0.99"). */
  target: string;
}

const rateString = z
  .string()
  .regex(/^\d{1,2}(\.\d{1,4})?$/, "Enter a rate with at most 4 decimal places, e.g. 0.99.")
  .refine((s) => Number(s) <= 10, "A rate is at most 10 (1,000 %).");

export const kpiTargetSchema = z.object({ metric: z.enum(kpiMetrics), direction: z.enum(["at_least", "at_most"]), target: rateString }).strict();
export const kpiTargetsSchema = z.array(kpiTargetSchema).max(kpiMetrics.length).refine((ts) => new Set(ts.map((t) => t.metric)).size === ts.length, { message: "one target per metric" });

/** Seed 001's success metrics: payment success > 99 %, monthly churn < 5 %, recovery > 80 %, recognition accuracy 100 %. */
export const DEFAULT_KPI_TARGETS: KpiTarget[] = [
  { metric: "payment_success_rate", direction: "at_least", target: "0.99" },
  { metric: "customer_churn_rate", direction: "at_most", target: "0.05" },
  { metric: "recovery_rate", direction: "at_least", target: "0.8" },
  { metric: "recognition_accuracy", direction: "at_least", target: "1" },
];

export type KpiStatus = "met" | "missed" | "no_data";

/** a − b as a sign, exact: both are decimal strings of at most 4 places. */
function compareRates(a: string, b: string): number {
  const units = (s: string) => {
    const [whole = "0", fraction = ""] = s.replace(/^-/, "").split(".");
    const n = BigInt(whole) * 10_000n + BigInt((fraction + "0000").slice(0, 4));
    return s.startsWith("-") ? -n : n;
  };
  const d = units(a) - units(b);
  return d === 0n ? 0 : d > 0n ? 1 : -1;
}

export function kpiStatus(actual: string | null, target: KpiTarget): KpiStatus {
  if (actual === null) return "no_data";
  const c = compareRates(actual, target.target);
  return (target.direction === "at_least" ? c >= 0 : c <= 0) ? "met" : "missed";
}

export interface RecognitionWaterfall {
  billed: number;
  recognized: number;
  deferredOpening: number;
  deferredClosing: number;
}

/**
 * Revenue recognition accuracy of a month: how far the waterfall's independently computed closing
 * deferred balance agrees with opening + billed − recognised, as 1 − |difference| ÷ (opening +
 * billed). 1 when they agree to the minor unit; null (no data) when nothing was deferred or billed.
 */
export function recognitionAccuracy(w: RecognitionWaterfall): string | null {
  const base = Math.abs(w.deferredOpening + w.billed);
  if (base === 0) return null;
  const difference = Math.abs(w.deferredOpening + w.billed - w.recognized - w.deferredClosing);
  return rate(Math.max(base - difference, 0), base);
}
