import { isMetered, usageLine } from "@/lib/billing/subscriptions/usage-lines";
import type { ServiceContext } from "../context";
import { withSubscription } from "../subscriptions/with-subscription";

export interface MeteredItemUsage {
  /** The meter version the item's price bills. */
  meterId: string;
  priceId: string;
  planName: string;
  /** [from, to): where the item measures in the current period, up to now. */
  from: Date;
  to: Date;
  /** What the meter measured, a decimal string. */
  value: string;
  /** The whole units billed for it (the value rounded up). */
  quantity: number;
  /** What the next invoice will charge for it so far, in minor units (before discount; tax as the price says). */
  amount: number;
}

/**
 * A subscription's metered items in its current period so far (decision 030): the same usage and
 * the same line the renewal will bill, measured up to the customer's now. Reads without locking.
 */
export async function subscriptionUsage(ctx: ServiceContext, subscriptionId: string): Promise<{ periodStart: Date; periodEnd: Date; currency: string; items: MeteredItemUsage[] }> {
  return withSubscription(
    ctx,
    subscriptionId,
    async ({ state }) => ({
      periodStart: state.period.start,
      periodEnd: state.period.end,
      currency: state.currency,
      items: state.items.flatMap((item) => {
        if (!isMetered(item) || !item.usage || !item.price.meterId) return [];
        const line = usageLine(item, item.usage);
        return [{ meterId: item.price.meterId, priceId: item.price.id, planName: item.plan.name, from: item.usage.from, to: item.usage.to, value: item.usage.value, quantity: line.quantity, amount: line.amount }];
      }),
    }),
    { lock: false },
  );
}
