import { prorate, prorationFraction } from "@/lib/time";
import { priceAmount } from "../pricing";
import type { LineInput, SubscriptionItemTerms } from "../types";
import { isMetered } from "../subscriptions/usage-lines";
import { systemFormatter } from "@/lib/format";

/** Messages and details here have no one reader: the business locale writes them. */
const fmt = systemFormatter();

const sameItem = (a: SubscriptionItemTerms, b: SubscriptionItemTerms) => a.price.id === b.price.id && a.quantity === b.quantity;

function describeDate(at: Date, timeZone: string): string {
  return fmt.date(at, timeZone);
}

/**
 * Proration for a change at `at` inside `period`, by the second, like Stripe: a credit line for the
 * unused time on each item that goes away and a charge line for the remaining time on each item
 * that comes in. Unchanged items produce nothing. A change at the period start prorates the whole
 * period (full price back, full price on); at the end, nothing.
 */
export function prorationLines(
  before: readonly SubscriptionItemTerms[],
  after: readonly SubscriptionItemTerms[],
  period: { start: Date; end: Date },
  at: Date,
  timeZone: string,
): LineInput[] {
  const fraction = prorationFraction(period, at);
  if (fraction.numerator === 0n) return [];
  // Metered items are billed for what was used (usageLines), never prorated.
  const removed = before.filter((b) => !isMetered(b) && !after.some((a) => sameItem(a, b)));
  const added = after.filter((a) => !isMetered(a) && !before.some((b) => sameItem(a, b)));
  const when = describeDate(at, timeZone);
  const line = (item: SubscriptionItemTerms, sign: 1 | -1): LineInput => {
    const full = priceAmount(item.price, item.quantity);
    const label = item.quantity === 1 ? item.plan.name : `${item.quantity} × ${item.plan.name}`;
    return {
      description: sign < 0 ? `Unused time on ${label} after ${when}` : `Remaining time on ${label} after ${when}`,
      // Never −0: a credit that rounds to nothing is 0, as the database stores it and the preview shows it.
      amount: sign * prorate(full, fraction) || 0,
      quantity: item.quantity,
      unitAmount: item.price.unitAmount,
      periodStart: at,
      periodEnd: period.end,
      proration: true,
      priceId: item.price.id,
      planId: item.plan.id,
      taxBehavior: item.price.taxBehavior,
    };
  };
  return [...removed.map((item) => line(item, -1)), ...added.map((item) => line(item, 1))];
}
