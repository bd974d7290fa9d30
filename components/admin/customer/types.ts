import { formatMoney, parseMajor } from "@/lib/money";

/** What the plan-change confirmation shows, formatted on the server from the service's own preview. */
export interface ChangePreviewView {
  lines: { description: string; amount: string; proration: boolean }[];
  dueNow: string;
  dueNowMinor: number;
  next: { amount: string; date: string; credit: string | null } | null;
  timing: string;
}

/** A price the subscription can move to (same currency). */
export interface PriceChoice {
  priceId: string;
  label: string;
  unitAmount: number | null;
}

export interface CouponChoice {
  id: string;
  label: string;
}

/** The amount a staff member typed ("12.50"), in minor units of `currency`; null until it is a valid positive amount. */
export function typedMinor(value: string | undefined, currency: string): number | null {
  try {
    const minor = parseMajor((value ?? "").trim(), currency);
    return minor > 0 ? minor : null;
  } catch {
    return null;
  }
}

/** Money for display in the console. */
export const money = (minor: number, currency: string) => formatMoney(minor, currency);
