import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { subscriptionItems, subscriptions } from "@/db/schema";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import type { SubscriptionStatus } from "@/lib/billing/subscriptions/statuses";
import type { Actor } from "@/lib/actor";
import { nextDue } from "@/lib/billing/subscriptions/lifecycle";
import type { SubscriptionState } from "@/lib/billing/subscriptions/state";
import { newId } from "@/lib/ids";
import { changeSubscriptionStatus } from "./change-status";

const itemsKey = (state: SubscriptionState) => state.items.map((i) => `${i.price.id}×${i.quantity}`).join(",");

/**
 * The subscription's columns for an engine state — period, anchor, trial, scheduled change, pause,
 * coupon usage and the next due instant for the status it ends in: the one mapping from state to
 * row, shared by saveSubscriptionState and the renewal plan (lib/services/renewals/plan-renewal.ts).
 */
export function stateColumns(row: SubscriptionRow, before: SubscriptionState, after: SubscriptionState, at: Date, status: SubscriptionStatus) {
  return {
    billingCycleAnchor: after.anchor,
    currentPeriodStart: after.period.start,
    currentPeriodEnd: after.period.end,
    trialEnd: after.trialEnd,
    cancelAtPeriodEnd: after.cancelAtPeriodEnd,
    pausedAt: after.pausedAt,
    pauseResumesAt: after.pauseResumesAt,
    pendingChange: after.pendingChange
      ? {
          items: after.pendingChange.items.map((i) => ({ price: i.price.id, quantity: i.quantity })),
          effective_at: after.pendingChange.effectiveAt.toISOString(),
          requested_at: row.pendingChange && before.pendingChange === after.pendingChange ? row.pendingChange.requested_at : at.toISOString(),
        }
      : null,
    discountPeriodsApplied: after.discount?.periodsApplied ?? row.discountPeriodsApplied,
    nextDueAt: nextDue(status === after.status ? after : { ...after, status })?.at ?? null,
  };
}

/**
 * Write the engine's new state back: period, anchor, scheduled change, pause, coupon usage, items
 * (replaced only when they changed), the next due instant, and the status through the state machine.
 */
export async function saveSubscriptionState(
  tx: Executor,
  actor: Actor,
  row: SubscriptionRow,
  before: SubscriptionState,
  after: SubscriptionState,
  at: Date,
  change: { status?: { to: SubscriptionStatus; reason: string } | null; endedAt?: Date | null; canceledAt?: Date | null; extra?: Partial<SubscriptionRow> } = {},
): Promise<SubscriptionRow> {
  if (itemsKey(before) !== itemsKey(after)) {
    await tx.delete(subscriptionItems).where(eq(subscriptionItems.subscriptionId, row.id));
    await tx.insert(subscriptionItems).values(
      after.items.map((item, position) => ({ id: newId("subscriptionItem"), subscriptionId: row.id, priceId: item.price.id, quantity: item.quantity, position, createdAt: at })),
    );
  }
  const [updated] = await tx
    .update(subscriptions)
    .set({
      ...stateColumns(row, before, after, at, change.status?.to ?? after.status),
      endedAt: change.endedAt === undefined ? row.endedAt : change.endedAt,
      canceledAt: change.canceledAt === undefined ? row.canceledAt : change.canceledAt,
      ...change.extra,
    })
    .where(eq(subscriptions.id, row.id))
    .returning();
  if (!updated) throw new Error("subscription vanished");
  if (change.status && change.status.to !== updated.status) {
    return changeSubscriptionStatus(tx, actor, updated, change.status.to, change.status.reason, at);
  }
  return updated;
}
