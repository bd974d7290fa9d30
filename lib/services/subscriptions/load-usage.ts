import type { Executor } from "@/db/client";
import { usageFromRollups } from "@/db/queries/usage";
import type { SubscriptionState } from "@/lib/billing/subscriptions/state";
import { isMetered, usageStart } from "@/lib/billing/subscriptions/usage-lines";

/**
 * The state with each metered item's usage so far loaded (decision 030): its meter version over
 * [where the item starts measuring in the period, the period's end — or `now`, or the pause, when
 * earlier). What the step bills in arrears, the preview shows and a change closes. A subscription
 * without metered items is returned as it is, without a query.
 */
export async function withUsage(tx: Executor, state: SubscriptionState, customerId: string, now: Date): Promise<SubscriptionState> {
  if (!state.items.some(isMetered)) return state;
  let to = state.period.end;
  if (now < to) to = now;
  if (state.pausedAt && state.pausedAt < to) to = state.pausedAt;
  const items = await Promise.all(
    state.items.map(async (item) => {
      if (!isMetered(item) || !item.price.meterId) return item;
      const from = usageStart(item, state.period.start);
      if (from >= to) return { ...item, usage: { from, to: from, value: "0" } };
      const [total] = await usageFromRollups(tx, { meterId: item.price.meterId, customerId, from, to }, null);
      return { ...item, usage: { from, to, value: total?.value ?? "0" } };
    }),
  );
  return { ...state, items };
}
