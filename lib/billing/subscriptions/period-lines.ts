import { periodBoundary, prorate, prorationFraction } from "@/lib/time";
import { priceAmount } from "../pricing";
import type { LineInput, SubscriptionItemTerms } from "../types";
import { isMetered } from "./usage-lines";

/** One line per licensed item for a whole period, billed in advance (metered items are billed in arrears: usageLines). */
export function periodLines(items: readonly SubscriptionItemTerms[], period: { start: Date; end: Date }): LineInput[] {
  return items.filter((item) => !isMetered(item)).map((item) => ({
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

/**
 * The first invoice's lines. A period shorter than the interval (a future billing anchor) is
 * prorated against the full interval that ends at the anchor, by the second.
 */
export function firstPeriodLines(items: readonly SubscriptionItemTerms[], period: { start: Date; end: Date }, anchor: Date, timeZone: string): LineInput[] {
  const interval = items[0]?.plan.interval;
  if (!interval || anchor.getTime() !== period.end.getTime()) return periodLines(items, period);
  const fullStart = periodBoundary(anchor, interval, -1, timeZone);
  if (fullStart.getTime() === period.start.getTime()) return periodLines(items, period);
  const fraction = prorationFraction({ start: fullStart, end: anchor }, period.start);
  return periodLines(items, period).map((line) => ({ ...line, description: `${line.description} (prorated)`, amount: prorate(line.amount, fraction), proration: true }));
}
