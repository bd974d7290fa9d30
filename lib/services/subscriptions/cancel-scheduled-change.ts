import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { saveSubscriptionState } from "./save-state";
import { withSubscription } from "./with-subscription";
import type { SubscriptionRow } from "@/db/queries/subscriptions";

/**
 * Undo a change scheduled for the end of the period (a downgrade, a quantity decrease): the
 * subscription renews on what it has now. Nothing is billed or credited — a scheduled change has
 * billed nothing yet.
 */
export async function cancelScheduledChange(ctx: ServiceContext, subscriptionId: string): Promise<SubscriptionRow> {
  return withSubscription(ctx, subscriptionId, async ({ tx, row, state, now }) => {
    if (!row.pendingChange || !state.pendingChange) throw new AppError("conflict", { userMessage: "This subscription has no scheduled change." });
    const subscription = await saveSubscriptionState(tx, ctx.actor, row, state, { ...state, pendingChange: null }, now, {}, ctx.applyMode);
    await recordAudit(
      tx,
      ctx.actor,
      { action: "subscription.scheduled_change_canceled", entityType: "subscription", entityId: row.id, before: { pending_change: row.pendingChange }, after: { pending_change: null } },
      ctx.now,
      ctx.requestId,
    );
    await enqueueEvent(tx, { type: "customer.subscription.updated", customerId: row.customerId, entityId: row.id, payload: { subscription: row.id, change: "scheduled_change_canceled", canceled: row.pendingChange.items } }, now);
    return subscription;
  });
}
