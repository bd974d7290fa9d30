import type { PlanRow, PriceRow } from "@/db/queries/catalog";
import { intervalLabel } from "@/lib/format";
import type { Formatter } from "@/lib/format";

/** Plans billed on the same interval share a tab of the pricing table. */
export function intervalKey(plan: Pick<PlanRow, "interval" | "intervalCount">): string {
  return `${plan.interval}:${plan.intervalCount}`;
}

/** "Monthly", "Annual", "Every 3 months". */
export function intervalName(plan: Pick<PlanRow, "interval" | "intervalCount">): string {
  if (plan.intervalCount === 1) return { day: "Daily", week: "Weekly", month: "Monthly", year: "Annual" }[plan.interval];
  return `Every ${plan.intervalCount} ${plan.interval}s`;
}

/** What one unit is called on a per-seat plan (plan metadata `unit_label`, as Stripe's), or null for a flat plan. */
export function unitLabel(plan: Pick<PlanRow, "metadata">): string | null {
  const label = plan.metadata.unit_label?.trim();
  return label ? label : null;
}

export function plural(word: string, n: number): string {
  return n === 1 ? word : `${word}s`;
}

/** "$29.00/month", "$10.00 per seat/month", "$100.00/year". */
export function pricePerInterval(plan: Pick<PlanRow, "interval" | "intervalCount" | "metadata">, price: Pick<PriceRow, "unitAmount" | "currency">, fmt: Formatter): string {
  const unit = unitLabel(plan);
  return `${fmt.money(price.unitAmount ?? 0, price.currency)}${unit ? ` per ${unit}` : ""}/${intervalLabel(plan.interval, plan.intervalCount)}`;
}

/** "14-day free trial, then $29.00/month", or null without a trial. */
export function trialMessage(plan: Pick<PlanRow, "interval" | "intervalCount" | "metadata" | "trialPeriodDays">, price: Pick<PriceRow, "unitAmount" | "currency">, fmt: Formatter): string | null {
  if (plan.trialPeriodDays <= 0) return null;
  return `${plan.trialPeriodDays}-day free trial, then ${pricePerInterval(plan, price, fmt)}`;
}

/** A tax rate as a decimal string ("0.1", "0.0825") → "10%", "8.25%", exactly (no float arithmetic). */
export function ratePercent(rate: string): string {
  const [whole = "0", fraction = ""] = rate.split(".");
  const digits = `${whole}${fraction.padEnd(2, "0")}`;
  const intPart = String(Number(digits.slice(0, whole.length + 2)));
  const rest = digits.slice(whole.length + 2).replace(/0+$/, "");
  return `${intPart}${rest ? `.${rest}` : ""}%`;
}

/** "GST (10%)": the tax on an invoice the local way, from its lines' rates (one rate shown when they agree). */
export function taxLabel(lines: readonly { taxAmounts: readonly { rate: string; jurisdiction: string }[] }[]): string {
  const rates = [...new Set(lines.flatMap((l) => l.taxAmounts.map((t) => t.rate)))];
  const name = lines.some((l) => l.taxAmounts.some((t) => /GST/.test(t.jurisdiction))) ? "GST" : "Tax";
  return rates.length === 1 ? `${name} (${ratePercent(rates[0]!)})` : name;
}

/**
 * Plans a customer can pick in the portal: those with a licensed price. A plan billed only by
 * usage ("API calls") is an add-on to a subscription, not a plan to subscribe to on its own.
 */
export function pickablePlans<T extends { prices: readonly { usageType: "licensed" | "metered" }[] }>(catalog: readonly T[]): T[] {
  return catalog.filter((entry) => entry.prices.some((p) => p.usageType !== "metered"));
}
