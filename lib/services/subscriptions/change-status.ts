import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { customers, subscriptions, subscriptionStatusHistory } from "@/db/schema";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import type { SubscriptionStatus } from "@/lib/billing/subscriptions/statuses";
import type { Actor } from "@/lib/actor";
import { recordAudit } from "@/lib/audit/record";
import { nextDue, type DueFacts } from "@/lib/billing/subscriptions/lifecycle";
import { assertTransition } from "@/lib/billing/subscriptions/state-machine";
import { enqueueEvent } from "@/lib/events/outbox";

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
  assertTransition(subscription.status, to);
  // Day counts (a pause's automatic cancellation) are in the customer's calendar.
  const [customer] = await tx.select({ timezone: customers.timezone }).from(customers).where(eq(customers.id, subscription.customerId));
  if (!customer) throw new Error("subscription without a customer");
  const due = nextDue({ ...dueFactsOf(subscription, customer.timezone), status: to });
  const [updated] = await tx.update(subscriptions).set({ status: to, nextDueAt: due?.at ?? null }).where(eq(subscriptions.id, subscription.id)).returning();
  if (!updated) throw new Error("subscription vanished");
  await tx.insert(subscriptionStatusHistory).values({ subscriptionId: subscription.id, fromStatus: subscription.status, toStatus: to, reason, at });
  await recordAudit(tx, actor, { action: `subscription.${to}`, entityType: "subscription", entityId: subscription.id, before: { status: subscription.status }, after: { status: to, reason } }, at);
  await enqueueEvent(tx, { type: "customer.subscription.updated", customerId: subscription.customerId, entityId: subscription.id, payload: { subscription: subscription.id, from: subscription.status, to, reason } }, at);
  return updated;
}
