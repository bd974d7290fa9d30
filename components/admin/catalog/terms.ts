import { formatMoney } from "@/lib/money";

/** Plain-language terms shared by the catalog pages (server) and their confirmation dialogs (client). */

export interface CouponTermsView {
  percentOffBps: number | null;
  amountOff: number | null;
  currency: string | null;
  duration: "once" | "repeating" | "forever";
  durationInPeriods: number | null;
}

/** "25% off for 3 months", "$10.00 off once", "15% off forever". */
export function couponTermsLabel(c: CouponTermsView): string {
  const off = c.percentOffBps !== null ? `${c.percentOffBps / 100}% off` : `${formatMoney(c.amountOff ?? 0, c.currency ?? "usd")} off`;
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
