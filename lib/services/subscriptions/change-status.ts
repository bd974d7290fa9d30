import { eq } from "drizzle-orm";
import { entitlementsChanged } from "../customers/entitlements-cache";
import type { Executor } from "@/db/client";
import { applyWrites, insertInto, updateIn, type ApplyMode, type Write } from "@/db/apply-writes";
import { auditLog, customers, outboxEvents, subscriptions, subscriptionStatusHistory } from "@/db/schema";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import type { SubscriptionStatus } from "@/lib/billing/subscriptions/statuses";
import type { Actor } from "@/lib/actor";
import { auditRow } from "@/lib/audit/record";
import { nextDue, type DueFacts } from "@/lib/billing/subscriptions/lifecycle";
import { assertTransition } from "@/lib/billing/subscriptions/state-machine";
import type { AuditRowInput, EventRowInput } from "@/lib/events/catalog/rows";
import { eventRow } from "@/lib/events/outbox";
import { realIds, type IdSource } from "@/lib/ids";

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

/** A subscription's move through the state machine (pure): the row after it, its columns, the history row, the audit entry and the event. */
export interface StatusChangePlan {
  row: SubscriptionRow;
  /** Its update, guarded by the status it moves from (`was`). */
  update: { id: string; status: SubscriptionStatus; nextDueAt: Date | null };
  was: SubscriptionStatus;
  history: typeof subscriptionStatusHistory.$inferInsert;
  audit: AuditRowInput;
  event: EventRowInput;
}

/**
 * Plan the move of `subscription` to `to` (the state machine must allow it): the next due instant
 * for the new status, in the customer's calendar (`timeZone`: a pause's automatic cancellation
 * counts days there).
 */
export function planStatusChange(subscription: SubscriptionRow, to: SubscriptionStatus, reason: string, at: Date, timeZone: string, actor: Actor, ids: Pick<IdSource, "newId">): StatusChangePlan {
  assertTransition(subscription.status, to);
  const nextDueAt = nextDue({ ...dueFactsOf(subscription, timeZone), status: to })?.at ?? null;
  return {
    row: { ...subscription, status: to, nextDueAt },
    update: { id: subscription.id, status: to, nextDueAt },
    was: subscription.status,
    history: { subscriptionId: subscription.id, fromStatus: subscription.status, toStatus: to, reason, at },
    audit: auditRow(actor, { action: `subscription.${to}`, entityType: "subscription", entityId: subscription.id, before: { status: subscription.status }, after: { status: to, reason } }, at),
    event: eventRow({ type: "customer.subscription.updated", customerId: subscription.customerId, entityId: subscription.id, payload: { subscription: subscription.id, from: subscription.status, to, reason } }, at, ids.newId("event")),
  };
}

/** The rows a status change adds beside the subscription's own update: its history row, audit entry and event. */
export function statusChangeRecords(plan: StatusChangePlan | null): Write[] {
  if (!plan) return [];
  return [insertInto(subscriptionStatusHistory, [plan.history]), insertInto(auditLog, [plan.audit]), insertInto(outboxEvents, [plan.event])];
}

/** Move a subscription through the state machine, with its history row, audit entry and event. */
export async function changeSubscriptionStatus(
  tx: Executor,
  actor: Actor,
  subscription: SubscriptionRow,
  to: SubscriptionStatus,
  reason: string,
  at: Date,
  mode: ApplyMode = "row",
): Promise<SubscriptionRow> {
  if (subscription.status === to) return subscription;
  // Day counts (a pause's automatic cancellation) are in the customer's calendar.
  const [customer] = await tx.select({ timezone: customers.timezone }).from(customers).where(eq(customers.id, subscription.customerId));
  if (!customer) throw new Error("subscription without a customer");
  const plan = planStatusChange(subscription, to, reason, at, customer.timezone, actor, realIds);
  await applyWrites(tx, [updateIn(subscriptions, [plan.update], { guard: { status: plan.was } }), ...statusChangeRecords(plan)], mode);
  entitlementsChanged(subscription.customerId, { inTransaction: true });
  // The row as stored (the caller's copy may be older than the columns the change leaves alone).
  const [stored] = await tx.select().from(subscriptions).where(eq(subscriptions.id, subscription.id));
  if (!stored) throw new Error("subscription vanished");
  return stored;
}
