import type { PriceTier, TaxAmount } from "@/db/schema";
import type { Interval } from "@/lib/time";

/** The engine's view of a price: what it needs to compute amounts, nothing else. */
export interface PriceTerms {
  id: string;
  currency: string;
  taxBehavior: "inclusive" | "exclusive";
  billingScheme: "per_unit" | "tiered";
  unitAmount: number | null;
  tiersMode: "graduated" | "volume" | null;
  tiers: PriceTier[] | null;
  packageSize: number | null;
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
  amountDue: number;
}

export interface InvoiceDraft extends InvoiceTotals {
  currency: string;
  lines: DraftLine[];
}
