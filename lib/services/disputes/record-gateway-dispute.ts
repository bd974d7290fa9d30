import { eq } from "drizzle-orm";
import { disputes } from "@/db/schema";
import type { DisputeRow, PaymentRow } from "@/db/queries/payments";
import { recordAudit } from "@/lib/audit/record";
import type { EventType } from "@/lib/events/catalog/events";
import { enqueueEvent } from "@/lib/events/outbox";
import { newId } from "@/lib/ids";
import { flagForStaff } from "@/lib/payments/webhooks/flag-for-staff";
import type { ServiceContext } from "../context";
import { CLOSED_DISPUTE_STATUSES, mergeDisputeVersions, type DisputeVersion } from "./merge-dispute";
import { systemFormatter } from "@/lib/format";

/** Messages and details here have no one reader: the business locale writes them. */
const fmt = systemFormatter();

type DisputeEventType = Extract<EventType, `dispute.${string}`>;

export interface GatewayDispute extends DisputeVersion {
  /** Stripe's `du_…` id (the sandbox's `du_sbx_…`). */
  gatewayId: string;
  currency: string;
  livemode: boolean;
  /** When the gateway opened the dispute. */
  openedAt: Date;
}

/**
 * Record what the gateway says about a dispute on one of our payments: insert it the first time,
 * merge later versions (lib/services/disputes/merge-dispute.ts), and tell staff and the customer's
 * timeline about each real change — created, status changed, closed, funds withdrawn or reinstated.
 * A paid invoice stays paid; a lost dispute is put on the reconciliation queue, where staff see
 * the money the bank took back. Runs in the caller's transaction (`ctx.db`).
 */
export async function recordGatewayDispute(ctx: ServiceContext, payment: PaymentRow, incoming: GatewayDispute): Promise<{ dispute: DisputeRow; created: boolean }> {
  const [inserted] = await ctx.db
    .insert(disputes)
    .values({
      id: newId("dispute"),
      paymentId: payment.id,
      invoiceId: payment.invoiceId,
      customerId: payment.customerId,
      amount: incoming.amount,
      currency: incoming.currency.toLowerCase(),
      status: incoming.status,
      reason: incoming.reason,
      evidenceDueBy: incoming.evidenceDueBy,
      fundsWithdrawn: incoming.fundsWithdrawn,
      fundsReinstated: incoming.fundsReinstated,
      gatewayId: incoming.gatewayId,
      livemode: incoming.livemode,
      createdAt: incoming.openedAt,
      updatedAt: incoming.asOf,
    })
    .onConflictDoNothing({ target: disputes.gatewayId })
    .returning();

  if (inserted) {
    const summary = describe(inserted);
    await recordAudit(ctx.db, ctx.actor, { action: "dispute.created", entityType: "dispute", entityId: inserted.id, after: summary }, ctx.now, ctx.requestId);
    await recordAudit(ctx.db, ctx.actor, { action: "invoice.disputed", entityType: "invoice", entityId: payment.invoiceId, after: { dispute: inserted.id, status: inserted.status } }, ctx.now, ctx.requestId);
    await enqueueEvent(ctx.db, { type: "dispute.created", customerId: payment.customerId, entityId: inserted.id, payload: summary }, ctx.now);
    // First seen already further along (events in any order): announce those stages too, once.
    const stages: (DisputeEventType | null)[] = [
      CLOSED_DISPUTE_STATUSES.has(inserted.status) ? "dispute.closed" : null,
      inserted.fundsWithdrawn ? "dispute.funds_withdrawn" : null,
      inserted.fundsReinstated ? "dispute.funds_reinstated" : null,
    ];
    for (const type of stages) if (type) await enqueueEvent(ctx.db, { type, customerId: payment.customerId, entityId: inserted.id, payload: summary }, ctx.now);
    await flagIfLost(ctx, inserted);
    return { dispute: inserted, created: true };
  }

  const [current] = await ctx.db.select().from(disputes).where(eq(disputes.gatewayId, incoming.gatewayId)).for("update");
  if (!current) throw new Error(`dispute ${incoming.gatewayId} vanished`);
  const merged = mergeDisputeVersions(versionOf(current), incoming);
  const changed =
    merged.status !== current.status ||
    merged.amount !== current.amount ||
    merged.reason !== current.reason ||
    merged.evidenceDueBy?.getTime() !== current.evidenceDueBy?.getTime() ||
    merged.fundsWithdrawn !== current.fundsWithdrawn ||
    merged.fundsReinstated !== current.fundsReinstated;
  if (!changed && merged.asOf.getTime() === current.updatedAt?.getTime()) return { dispute: current, created: false };
  const [updated] = await ctx.db
    .update(disputes)
    .set({
      status: merged.status,
      amount: merged.amount,
      reason: merged.reason,
      evidenceDueBy: merged.evidenceDueBy,
      fundsWithdrawn: merged.fundsWithdrawn,
      fundsReinstated: merged.fundsReinstated,
      updatedAt: merged.asOf,
    })
    .where(eq(disputes.id, current.id))
    .returning();
  if (!updated) throw new Error(`dispute ${current.id} vanished`);
  if (!changed) return { dispute: updated, created: false };

  const summary = describe(updated);
  await recordAudit(ctx.db, ctx.actor, { action: "dispute.updated", entityType: "dispute", entityId: updated.id, before: describe(current), after: summary }, ctx.now, ctx.requestId);
  const events: DisputeEventType[] = [];
  if (updated.status !== current.status) events.push(CLOSED_DISPUTE_STATUSES.has(updated.status) ? "dispute.closed" : "dispute.updated");
  else if (updated.amount !== current.amount || updated.reason !== current.reason || updated.evidenceDueBy?.getTime() !== current.evidenceDueBy?.getTime()) events.push("dispute.updated");
  if (updated.fundsWithdrawn && !current.fundsWithdrawn) events.push("dispute.funds_withdrawn");
  if (updated.fundsReinstated && !current.fundsReinstated) events.push("dispute.funds_reinstated");
  for (const type of events) await enqueueEvent(ctx.db, { type, customerId: updated.customerId, entityId: updated.id, payload: summary }, ctx.now);
  await flagIfLost(ctx, updated);
  return { dispute: updated, created: false };
}

function versionOf(row: DisputeRow): DisputeVersion {
  return {
    status: row.status,
    amount: row.amount,
    reason: row.reason,
    evidenceDueBy: row.evidenceDueBy,
    fundsWithdrawn: row.fundsWithdrawn,
    fundsReinstated: row.fundsReinstated,
    asOf: row.updatedAt ?? row.createdAt,
  };
}

function describe(row: DisputeRow) {
  return {
    dispute: row.id,
    payment: row.paymentId,
    invoice: row.invoiceId,
    status: row.status,
    reason: row.reason,
    amount: row.amount,
    currency: row.currency,
    evidence_due_by: row.evidenceDueBy?.toISOString() ?? null,
    funds_withdrawn: row.fundsWithdrawn,
    funds_reinstated: row.fundsReinstated,
  };
}

/** A lost dispute leaves the invoice paid but the money gone: staff decide what follows. */
async function flagIfLost(ctx: ServiceContext, row: DisputeRow): Promise<void> {
  if (row.status !== "lost") return;
  await flagForStaff(ctx.db, {
    key: row.id,
    paymentId: row.paymentId,
    kind: "dispute_lost",
    detail: `Dispute ${row.gatewayId} (${row.reason}) was lost: ${fmt.money(row.amount, row.currency)} withdrawn from payment ${row.paymentId}; invoice ${row.invoiceId} stays paid.`,
  });
}
