import type { PlanRow, PriceRow } from "@/db/queries/catalog";
import type { SubscriptionItemTerms } from "@/lib/billing/types";

/** Rows → the engine's terms. */
export function toItemTerms(price: PriceRow, plan: PlanRow, quantity: number, usageFrom: Date | null = null): SubscriptionItemTerms {
  return {
    quantity,
    usageFrom,
    plan: { id: plan.id, name: plan.name, interval: { unit: plan.interval, count: plan.intervalCount }, trialPeriodDays: plan.trialPeriodDays },
    price: {
      id: price.id,
      currency: price.currency,
      taxBehavior: price.taxBehavior,
      billingScheme: price.billingScheme,
      unitAmount: price.unitAmount,
      unitAmountDecimal: price.unitAmountDecimal,
      tiersMode: price.tiersMode,
      tiers: price.tiers,
      packageSize: price.packageSize,
      usageType: price.usageType,
      meterId: price.meterId,
    },
  };
}
