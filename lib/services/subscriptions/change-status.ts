import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { applyWrites, insertInto } from "@/db/apply-writes";
import { auditLog, customers, outboxEvents, subscriptions, subscriptionStatusHistory } from "@/db/schema";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import type { SubscriptionStatus } from "@/lib/billing/subscriptions/statuses";
import type { Actor } from "@/lib/actor";
import { nextDue, type DueFacts } from "@/lib/billing/subscriptions/lifecycle";
import { assertTransition } from "@/lib/billing/subscriptions/state-machine";
import type { AuditRowInput, EventRowInput } from "@/lib/events/catalog/rows";
import { newId, type IdKind } from "@/lib/ids";

function dueFactsOf(row: SubscriptionRow, timeZone: string): DueFacts {
  return {
    timeZone,
    status: row.status,
    period: { start: row.currentPeriodStart, end: row.currentPeriodEnd },
    trialEnd: row.trialEnd,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    pausedAt: row.pausedAt,
    pauseResumesAt: row.pauseResumesAt,
  };
}

/** A subscription's move to another status, as the rows it writes (planStatusChange). */
export interface StatusChange {
  /** The subscription's row after the change. */
  row: SubscriptionRow;
  /** Its update, guarded by the status it moves from (`was`). */
  update: { id: string; status: SubscriptionStatus; nextDueAt: Date | null };
  was: SubscriptionStatus;
  history: typeof subscriptionStatusHistory.$inferInsert;
  audit: AuditRowInput;
  event: EventRowInput;
}

/**
 * Move a subscription through the state machine (pure): its new status and next due instant (day
 * counts, a pause's automatic cancellation, in the customer's calendar `timeZone`), its history
 * row, audit entry and event. Null when it already has that status; throws on a move the state
 * machine refuses.
 */
export function planStatusChange(
  subscription: SubscriptionRow,
  to: SubscriptionStatus,
  reason: string,
  at: Date,
  env: { actor: Actor; timeZone: string; newId?: (kind: IdKind) => string },
): StatusChange | null {
  if (subscription.status === to) return null;
  assertTransition(subscription.status, to);
  const due = nextDue({ ...dueFactsOf(subscription, env.timeZone), status: to });
  const update = { id: subscription.id, status: to, nextDueAt: due?.at ?? null };
  return {
    row: { ...subscription, status: to, nextDueAt: update.nextDueAt },
    update,
    was: subscription.status,
    history: { subscriptionId: subscription.id, fromStatus: subscription.status, toStatus: to, reason, at },
    audit: { at, actorType: env.actor.type, actorId: env.actor.id, action: `subscription.${to}`, entityType: "subscription", entityId: subscription.id, before: { status: subscription.status }, after: { status: to, reason }, requestId: null },
    event: {
      id: (env.newId ?? newId)("event"),
      type: "customer.subscription.updated",
      customerId: subscription.customerId,
      entityId: subscription.id,
      payload: { subscription: subscription.id, from: subscription.status, to, reason },
      createdAt: at,
    },
  };
}

/** Move a subscription through the state machine, with its history row, audit entry and event. */
export async function changeSubscriptionStatus(
  tx: Executor,
  actor: Actor,
  subscription: SubscriptionRow,
  to: SubscriptionStatus,
  reason: string,
  at: Date,
): Promise<SubscriptionRow> {
  if (subscription.status === to) return subscription;
  const [customer] = await tx.select({ timezone: customers.timezone }).from(customers).where(eq(customers.id, subscription.customerId));
  if (!customer) throw new Error("subscription without a customer");
  const change = planStatusChange(subscription, to, reason, at, { actor, timeZone: customer.timezone });
  if (!change) return subscription;
  // The row as stored (the caller's copy may be older than the columns the change leaves alone).
  const [updated] = await tx.update(subscriptions).set({ status: change.update.status, nextDueAt: change.update.nextDueAt }).where(eq(subscriptions.id, subscription.id)).returning();
  if (!updated) throw new Error("subscription vanished");
  await applyWrites(tx, [insertInto(subscriptionStatusHistory, [change.history]), insertInto(auditLog, [change.audit]), insertInto(outboxEvents, [change.event])], "row");
  return updated;
}
