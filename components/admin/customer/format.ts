import { intervalLabel, taxNote } from "@/lib/format";
import { localDateString } from "@/lib/time";
import type { Formatter } from "@/lib/format";

/** "Visa ending 4242" */
export function cardLabel(method: { brand: string; last4: string } | null | undefined): string | null {
  if (!method) return null;
  return `${method.brand.charAt(0).toUpperCase()}${method.brand.slice(1)} ending ${method.last4}`;
}

/** "25% off, for 3 months" / "$5.00 off, once" */
export function couponLabel(coupon: { name: string; percentOffBps: number | null; amountOff: number | null; currency: string | null; duration: string; durationInPeriods: number | null }, fmt: Formatter): string {
  const off = coupon.percentOffBps !== null ? `${coupon.percentOffBps / 100}% off` : coupon.amountOff !== null && coupon.currency ? `${fmt.money(coupon.amountOff, coupon.currency)} off` : "discount";
  const duration = coupon.duration === "forever" ? "forever" : coupon.duration === "once" ? "once" : `for ${coupon.durationInPeriods ?? 1} billing periods`;
  return `${coupon.name} (${off}, ${duration})`;
}

/** "$29.00 / month incl. GST" for fixed per-unit items, "+ usage" after it for metered add-ons; "usage-based" otherwise. */
export function priceLabel(
  items: { quantity: number; price: { unitAmount: number | null; billingScheme: string; taxBehavior: "inclusive" | "exclusive"; usageType: "licensed" | "metered" }; plan: { interval: string; intervalCount: number } }[],
  currency: string,
  fmt: Formatter,
): string {
  const first = items[0];
  if (!first) return "—";
  const licensed = items.filter((i) => i.price.usageType !== "metered");
  const fixed = licensed.length > 0 && licensed.every((i) => i.price.billingScheme === "per_unit" && i.price.unitAmount !== null);
  if (!fixed) return `usage-based, every ${intervalLabel(first.plan.interval, first.plan.intervalCount)}`;
  const amount = licensed.reduce((sum, i) => sum + (i.price.unitAmount ?? 0) * i.quantity, 0);
  const usage = licensed.length < items.length ? " + usage" : "";
  return `${fmt.money(amount, currency)} / ${intervalLabel(first.plan.interval, first.plan.intervalCount)} ${taxNote(licensed[0]!.price.taxBehavior, currency)}${usage}`;
}

/** yyyy-mm-dd of an instant in a time zone (for date inputs). */
export function isoDay(at: Date, timeZone: string): string {
  return localDateString(at, timeZone);
}
