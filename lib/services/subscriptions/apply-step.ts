import type { Executor } from "@/db/client";
import type { CustomerRow } from "@/db/queries/customers";
import { lockInvoice, type InvoiceRow } from "@/db/queries/invoices";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import { recordAudit } from "@/lib/audit/record";
import type { StepResult } from "@/lib/billing/subscriptions/lifecycle";
import type { SubscriptionState } from "@/lib/billing/subscriptions/state";
import { enqueueEvent } from "@/lib/events/outbox";
import type { ServiceContext } from "../context";
import { issueInvoice } from "../invoices/issue-invoice";
import { voidInvoiceTx } from "../invoices/void-invoice";
import { saveSubscriptionState } from "./save-state";

/**
 * Persist one lifecycle step in the caller's transaction: its invoice (discounted when the coupon
 * still applies), the new state and status, the voided invoice of an expired first payment, the
 * audit entry and the event. Returns the invoice the caller should collect after commit.
 */
export async function applyStep(
  tx: Executor,
  ctx: ServiceContext,
  row: SubscriptionRow,
  customer: CustomerRow,
  before: SubscriptionState,
  result: StepResult,
): Promise<{ invoice: InvoiceRow | null; subscription: SubscriptionRow }> {
  let invoice: InvoiceRow | null = null;
  if (result.invoice) {
    invoice = await issueInvoice(tx, ctx.actor, {
      customer,
      subscription: row,
      billingReason: result.invoice.billingReason,
      period: result.invoice.period,
      lines: result.invoice.lines,
      discount: result.invoice.discounted ? (before.discount?.terms ?? null) : null,
      consumesPendingItems: result.invoice.consumesPendingLines,
      at: result.at,
    });
  }
  const ended = result.status?.to === "canceled" || result.status?.to === "incomplete_expired";
  // An expired first invoice is no longer owed (Stripe voids it too).
  if (result.status?.to === "incomplete_expired" && row.latestInvoiceId) {
    const latest = await lockInvoice(tx, row.latestInvoiceId);
    if (latest?.status === "open") await voidInvoiceTx(tx, ctx.actor, latest.id, result.at, ctx.requestId);
  }
  const subscription = await saveSubscriptionState(tx, ctx.actor, row, before, result.state, result.at, {
    status: result.status,
    endedAt: ended ? result.at : undefined,
    canceledAt: ended && !row.canceledAt ? result.at : undefined,
    extra: invoice ? { latestInvoiceId: invoice.id } : undefined,
  });
  await recordAudit(
    tx,
    ctx.actor,
    {
      action: `subscription.${result.kind}`,
      entityType: "subscription",
      entityId: row.id,
      before: { period: before.period, status: before.status },
      after: { period: result.state.period, status: subscription.status, invoice: invoice?.id ?? null },
    },
    result.at,
    ctx.requestId,
  );
  if (result.appliedPendingChange) {
    await enqueueEvent(tx, { type: "customer.subscription.updated", customerId: row.customerId, entityId: row.id, payload: { subscription: row.id, change: "scheduled_change_applied", from: before.items.map((i) => ({ price: i.price.id, quantity: i.quantity })), to: result.state.items.map((i) => ({ price: i.price.id, quantity: i.quantity })), invoice: invoice?.id ?? null } }, result.at);
  }
  return { invoice, subscription };
}
