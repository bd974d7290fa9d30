import { priceAmount } from "../pricing";
import type { LineInput, SubscriptionItemTerms } from "../types";

/** One line per item for a whole period, billed in advance. */
export function periodLines(items: readonly SubscriptionItemTerms[], period: { start: Date; end: Date }): LineInput[] {
  return items.map((item) => ({
    description: item.quantity === 1 ? item.plan.name : `${item.quantity} × ${item.plan.name}`,
    amount: priceAmount(item.price, item.quantity),
    quantity: item.quantity,
    unitAmount: item.price.unitAmount,
    periodStart: period.start,
    periodEnd: period.end,
    proration: false,
    priceId: item.price.id,
    planId: item.plan.id,
    taxBehavior: item.price.taxBehavior,
  }));
}
