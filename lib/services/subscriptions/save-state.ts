import { eq } from "drizzle-orm";
import { entitlementsChanged } from "../customers/entitlements-cache";
import type { Executor } from "@/db/client";
import { applyWrites, deleteFrom, insertInto, updateIn, type ApplyMode, type Write } from "@/db/apply-writes";
import { subscriptionItems, subscriptions } from "@/db/schema";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import type { SubscriptionStatus } from "@/lib/billing/subscriptions/statuses";
import type { Actor } from "@/lib/actor";
import { nextDue } from "@/lib/billing/subscriptions/lifecycle";
import type { SubscriptionState } from "@/lib/billing/subscriptions/state";
import { realIds, type IdSource } from "@/lib/ids";
import { planStatusChange, statusChangeRecords, type StatusChangePlan } from "./change-status";

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

/** How a save changes the subscription beyond its state's columns. */
export interface StateChange {
  status?: { to: SubscriptionStatus; reason: string } | null;
  endedAt?: Date | null;
  canceledAt?: Date | null;
  extra?: Partial<SubscriptionRow>;
}

/** The writes of a save (pure): the row after it, its update, the items replaced and the status change. */
export interface StateSavePlan {
  row: SubscriptionRow;
  update: { id: string } & Partial<typeof subscriptions.$inferInsert>;
  /** Set when the items changed: the old rows' ids to delete and the new rows. */
  items: { remove: string[]; add: (typeof subscriptionItems.$inferInsert)[] } | null;
  statusChange: StatusChangePlan | null;
}

/** Whether a step changed the subscription's items (prices or quantities): they are replaced. */
export function itemsChanged(before: SubscriptionState, after: SubscriptionState): boolean {
  return itemsKey(before) !== itemsKey(after);
}

/**
 * Plan writing the engine's new state back (pure): period, anchor, scheduled change, pause, coupon
 * usage, items (replaced only when they changed; `itemIds` are the current rows'), the next due
 * instant, and the status through the state machine (planStatusChange).
 */
export function planStateSave(
  row: SubscriptionRow,
  before: SubscriptionState,
  after: SubscriptionState,
  at: Date,
  change: StateChange,
  itemIds: readonly string[],
  actor: Actor,
  ids: IdSource,
): StateSavePlan {
  const items = itemsChanged(before, after)
    ? { remove: [...itemIds], add: after.items.map((item, position) => ({ id: ids.newId("subscriptionItem"), subscriptionId: row.id, priceId: item.price.id, quantity: item.quantity, position, usageFrom: item.usageFrom ?? null, createdAt: at })) }
    : null;
  const columns: Partial<SubscriptionRow> = {
    ...stateColumns(row, before, after, at, change.status?.to ?? after.status),
    endedAt: change.endedAt === undefined ? row.endedAt : change.endedAt,
    canceledAt: change.canceledAt === undefined ? row.canceledAt : change.canceledAt,
  };
  // Extra columns left undefined are not set (as drizzle leaves them).
  for (const [key, value] of Object.entries(change.extra ?? {})) if (value !== undefined) Object.assign(columns, { [key]: value });
  const saved: SubscriptionRow = { ...row, ...columns };
  const statusChange = change.status && change.status.to !== saved.status ? planStatusChange(saved, change.status.to, change.status.reason, at, after.timeZone, actor, ids) : null;
  return { row: statusChange?.row ?? saved, update: { id: row.id, ...columns, ...statusChange?.update }, items, statusChange };
}

/** A save's writes, in order: the items replaced, the subscription's row, the status change's records. */
export function stateSaveWrites(plan: StateSavePlan): Write[] {
  return [
    ...(plan.items ? [deleteFrom(subscriptionItems, plan.items.remove), insertInto(subscriptionItems, plan.items.add)] : []),
    updateIn(subscriptions, [plan.update]),
    ...statusChangeRecords(plan.statusChange),
  ];
}

/** The ids of a subscription's item rows. */
export async function subscriptionItemIds(tx: Executor, subscriptionId: string): Promise<string[]> {
  return (await tx.select({ id: subscriptionItems.id }).from(subscriptionItems).where(eq(subscriptionItems.subscriptionId, subscriptionId))).map((r) => r.id);
}

/**
 * Write the engine's new state back (planStateSave, applied in the caller's transaction): period,
 * anchor, scheduled change, pause, coupon usage, items, the next due instant, and the status
 * through the state machine.
 */
export async function saveSubscriptionState(
  tx: Executor,
  actor: Actor,
  row: SubscriptionRow,
  before: SubscriptionState,
  after: SubscriptionState,
  at: Date,
  change: StateChange = {},
  mode: ApplyMode = "set",
): Promise<SubscriptionRow> {
  const itemIds = itemsChanged(before, after) ? await subscriptionItemIds(tx, row.id) : [];
  const plan = planStateSave(row, before, after, at, change, itemIds, actor, realIds);
  await applyWrites(tx, stateSaveWrites(plan), mode);
  entitlementsChanged(row.customerId, { inTransaction: true });
  return plan.row;
}
