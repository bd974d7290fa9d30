import type { Interval } from "@/lib/time";

/** One tier of a tiered price, as stored on the price and sent over the API. */
export interface PriceTier {
  up_to: number | null;
  unit_amount: number | null;
  /** A sub-minor-unit price per unit in this tier ("0.15" minor units); wins over unit_amount when set. */
  unit_amount_decimal?: string | null;
  flat_amount: number | null;
}

/** Tax on an invoice or a line, per rate: what the tax port computed and the invoice stores. */
export interface TaxAmount {
  amount: number;
  rate: string;
  jurisdiction: string;
  inclusive: boolean;
  /** EU reverse charge: nothing charged, the buyer accounts for the VAT (lines issued before it existed have none: false). */
  reverseCharge?: boolean;
}

/** The engine's view of a price: what it needs to compute amounts, nothing else. */
export interface PriceTerms {
  id: string;
  currency: string;
  taxBehavior: "inclusive" | "exclusive";
  billingScheme: "per_unit" | "tiered";
  unitAmount: number | null;
  /** A sub-minor-unit price ("0.04" minor units per unit); wins over unitAmount when set. */
  unitAmountDecimal?: string | null;
  tiersMode: "graduated" | "volume" | null;
  tiers: PriceTier[] | null;
  packageSize: number | null;
  /** "metered": billed in arrears on the usage its meter measured (`usage` on the item); default "licensed". */
  usageType?: "licensed" | "metered";
  /** A metered price's meter version. */
  meterId?: string | null;
}

export interface PlanTerms {
  id: string;
  name: string;
  interval: Interval;
  trialPeriodDays: number;
}

export interface SubscriptionItemTerms {
  price: PriceTerms;
  plan: PlanTerms;
  quantity: number;
  /** A metered item measures its meter from here (null or absent: its period's start). */
  usageFrom?: Date | null;
  /** A metered item's usage so far in its period, as loaded for the step: [from, to) and the meter's value. */
  usage?: MeteredUsage | null;
}

/** What a meter measured for a metered item over [from, to): a non-negative decimal string. */
export interface MeteredUsage {
  from: Date;
  to: Date;
  value: string;
}

export interface DraftLine {
  description: string;
  amount: number;
  quantity: number;
  unitAmount: number | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  proration: boolean;
  priceId: string | null;
  discountAmount: number;
  taxAmounts: TaxAmount[];
}

export interface InvoiceTotals {
  subtotal: number;
  discountTotal: number;
  tax: number;
  total: number;
  creditApplied: number;
  /** The customer's debit (earlier amounts below the minimum charge) collected: added to the amount due. */
  debitApplied: number;
  amountDue: number;
  /** When credits exceed charges the total stays 0 and the excess goes to the customer's balance. */
  excessCredit: number;
}

export interface InvoiceDraft extends InvoiceTotals {
  currency: string;
  lines: DraftLine[];
}

/** A line before discounts and tax, as the engine prices it. */
export interface LineInput {
  description: string;
  /** As priced: gross for inclusive prices, net for exclusive ones. Negative for credits. */
  amount: number;
  quantity: number;
  unitAmount: number | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  proration: boolean;
  priceId: string | null;
  planId: string | null;
  taxBehavior: "inclusive" | "exclusive";
}

export type CouponDuration = "once" | "repeating" | "forever";

export interface DiscountTerms {
  couponId: string;
  /** Basis points: 2500 = 25%. */
  percentOffBps: number | null;
  amountOff: number | null;
  currency: string | null;
  appliesToPlans: string[] | null;
}

export interface SubscriptionDiscount {
  terms: DiscountTerms;
  duration: CouponDuration;
  durationInPeriods: number | null;
  periodsApplied: number;
}
