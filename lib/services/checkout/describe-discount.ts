import type { IntervalUnit } from "@/db/schema";
import type { Formatter } from "@/lib/format";

export interface CouponSummaryInput {
  percentOffBps: number | null;
  amountOff: number | null;
  currency: string | null;
  duration: "once" | "repeating" | "forever";
  durationInPeriods: number | null;
}

/** "25% off for 3 months", "A$5.00 off the first invoice", "10% off forever": a coupon as a customer reads it. */
export function describeCoupon(coupon: CouponSummaryInput, interval: { unit: IntervalUnit; count: number }, fmt: Formatter): string {
  const off = coupon.percentOffBps !== null ? `${formatPercent(coupon.percentOffBps)} off` : `${fmt.money(coupon.amountOff ?? 0, coupon.currency ?? "usd")} off`;
  switch (coupon.duration) {
    case "once":
      return `${off} the first invoice`;
    case "forever":
      return `${off} forever`;
    case "repeating": {
      const periods = coupon.durationInPeriods ?? 0;
      const span = periods * interval.count;
      return `${off} for ${span} ${interval.unit}${span === 1 ? "" : "s"}`;
    }
  }
}

/** 2500 bps → "25%", 1250 → "12.5%", 333 → "3.33%" (basis points are exact: no float rounding shown). */
export function formatPercent(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const fraction = String(Math.abs(bps % 100)).padStart(2, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}%` : `${whole}%`;
}
