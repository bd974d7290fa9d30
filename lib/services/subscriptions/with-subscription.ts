import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { subscriptions } from "@/db/schema";
import { customerNow, findCustomer, lockCustomer, type CustomerRow } from "@/db/queries/customers";
import type { SubscriptionState } from "@/lib/billing/subscriptions/state";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { loadSubscriptionState } from "./load-state";
import type { SubscriptionRow } from "@/db/queries/subscriptions";

export interface LockedSubscription {
  tx: Tx;
  row: SubscriptionRow;
  customer: CustomerRow;
  state: SubscriptionState;
  /** The customer's now: the test clock's time when attached to one. */
  now: Date;
}

/**
 * Run `fn` in one transaction holding the subscription's and its customer's row locks. Previews
 * pass `{ lock: false }`: they read a consistent state and write nothing, so they never wait on
 * (or hold up) a renewal or a change.
 */
export function withSubscription<T>(
  ctx: ServiceContext,
  subscriptionId: string,
  fn: (locked: LockedSubscription) => Promise<T>,
  opts: { lock?: boolean } = {},
): Promise<T> {
  const lock = opts.lock ?? true;
  return ctx.db.transaction(async (tx) => {
    const query = tx.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId));
    const [row] = lock ? await query.for("update") : await query;
    if (!row) throw notFound("subscription", "id");
    const customer = lock ? await lockCustomer(tx, row.customerId) : await findCustomer(tx, row.customerId);
    if (!customer) throw notFound("customer");
    const now = await customerNow(tx, customer, ctx.now);
    const state = await loadSubscriptionState(tx, row, customer, now);
    return fn({ tx, row, customer, state, now });
  });
}
