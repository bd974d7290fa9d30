import { parseMajor } from "@/lib/money";
import type { Formatter } from "@/lib/format";

/** The subscription as the console's action dialogs show it, formatted on the server. */
export interface SubscriptionSummary {
  id: string;
  status: string;
  plan: string;
  /** The plan item's (the one licensed item's) quantity and price: what a change of plan replaces. */
  quantity: number;
  priceId: string;
  /** Metered add-ons a change of plan keeps ("API calls"). */
  addOns: string[];
  /** Why the plan can't be changed here (several licensed items), else null. */
  changeRefusal: string | null;
  /** "$29.00 / month incl. GST" */
  price: string;
  periodEnd: string;
  cancelAtPeriodEnd: boolean;
  coupon: string | null;
  /** The usage spend threshold in major units for the form ("50.00"), "" for none; null when the subscription has no metered item. */
  usageSpendThreshold: string | null;
  currency: string;
  /** Today, in the customer's calendar (yyyy-mm-dd), and the latest a pause may last. */
  today: string;
  maxResume: string;
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
export const money = (fmt: Formatter, minor: number, currency: string) => fmt.money(minor, currency);
